package io.s2i.service.triggers.webhook;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Commit ids as payloads send them: checked before they become a build's revision. */
final class CommitId {
  private static final Pattern FULL = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Pattern ABBREVIATED = Pattern.compile("[0-9a-f]{7,64}");

  private CommitId() {}

  /** A full SHA-1 or SHA-256 object id, lower case; empty when {@code text} is not one. */
  static Optional<String> full(String text) {
    return normalize(text, FULL);
  }

  /** A full or abbreviated (at least 7 digits) object id, lower case, as the generic hook accepts. */
  static Optional<String> fullOrAbbreviated(String text) {
    return normalize(text, ABBREVIATED);
  }

  /** Whether {@code text} is the all-zero id senders use for "no commit": a created or deleted ref. */
  static boolean isZero(String text) {
    return text != null && !text.isEmpty() && text.chars().allMatch(c -> c == '0');
  }

  private static Optional<String> normalize(String text, Pattern pattern) {
    if (text == null) {
      return Optional.empty();
    }
    String lower = text.trim().toLowerCase(Locale.ROOT);
    return pattern.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
  }
}
