package io.s2i.service.logs;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Replaces secret values in text with {@code *****}. Values shorter than {@link #MIN_LENGTH} are
 * not masked: a one-letter "secret" would turn every log line into stars and protects nothing.
 */
public final class SecretMasker {
  /** The shortest value that is masked. */
  public static final int MIN_LENGTH = 4;
  private static final String MASK = "*****";
  private final List<String> secrets;

  /** A masker for these values (nulls and short values are ignored). */
  public SecretMasker(Collection<String> secrets) {
    this.secrets = secrets.stream().filter(Objects::nonNull).filter(s -> s.length() >= MIN_LENGTH)
        .distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** A masker that masks nothing. */
  public static SecretMasker none() {
    return new SecretMasker(List.of());
  }

  /** {@code text} with every secret value replaced. */
  public String mask(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }
}
