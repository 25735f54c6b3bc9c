package io.s2i.internal.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Language versions as sources write them and builders provide them. A source's text is a
 * constraint more often than a version ({@code >=18}, {@code ^8.1}, {@code ~> 3.1},
 * {@code python-3.11.4}); the version taken from it is the first one it names, which is the one
 * the project was written against.
 */
final class Versions {
  private static final Pattern FIRST_VERSION = Pattern.compile("(\\d+(?:\\.\\d+)*)");

  private Versions() {}

  /** The version {@code text} names for {@code language}, normalised; empty when none. */
  static Optional<String> normalise(String language, String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    if (language.equals("dotnet") && t.startsWith("net")) {
      t = t.substring(3); // net8.0 -> 8.0; netcoreapp3.1 -> coreapp3.1 -> 3.1
    }
    Matcher m = FIRST_VERSION.matcher(t);
    if (!m.find()) {
      return Optional.empty();
    }
    String v = m.group(1);
    switch (language) {
      case "java", "java-binary", "jee" -> {
        if (v.startsWith("1.") && v.length() > 2) { // 1.8 -> 8
          v = v.substring(2);
        }
        v = v.split("\\.")[0]; // 17.0.2 -> 17: builders are per major version
      }
      case "perl" -> {
        String[] parts = v.split("\\.");
        if (parts.length >= 2 && parts[1].length() >= 3) { // 5.036 -> 5.36
          v = parts[0] + "." + Integer.parseInt(parts[1].substring(0, 3));
        }
      }
      case "golang" -> v = trim(v, 2); // go 1.21.3 -> 1.21
      case "dotnet" -> v = trim(v, 2); // SDK 8.0.100 -> 8.0
      default -> {
        // kept as written
      }
    }
    return Optional.of(v);
  }

  private static String trim(String v, int components) {
    String[] parts = v.split("\\.");
    return parts.length <= components ? v : String.join(".", List.of(parts).subList(0, components));
  }

  /**
   * Whether a builder providing {@code provided} serves a source asking for {@code requested}:
   * every component the builder names equals the source's ({@code 3.11} serves {@code 3.11.4},
   * {@code 20} serves {@code 20.11}; {@code 3.11} does not serve {@code 3}). A provided version
   * written without dots, as image tags do ({@code python311}, {@code nodejs20}), serves a
   * requested version whose leading components run together give it.
   */
  static boolean serves(String provided, String requested) {
    if (provided == null || requested == null || provided.isEmpty() || requested.isEmpty()) {
      return false;
    }
    List<String> want = List.of(requested.split("\\."));
    List<String> have = List.of(provided.split("\\."));
    if (have.size() <= want.size() && numericPrefix(have, want)) {
      return true;
    }
    if (have.size() == 1 && want.size() > 1) {
      StringBuilder joined = new StringBuilder();
      for (String part : want) {
        joined.append(part);
        if (joined.toString().equals(provided)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean numericPrefix(List<String> have, List<String> want) {
    for (int i = 0; i < have.size(); i++) {
      if (!sameNumber(have.get(i), want.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameNumber(String a, String b) {
    try {
      return Long.parseLong(a) == Long.parseLong(b);
    } catch (NumberFormatException e) {
      return a.equals(b);
    }
  }

  /** The components of a version, for ordering candidates in messages. */
  static List<Integer> components(String version) {
    List<Integer> out = new ArrayList<>();
    for (String p : version.split("\\.")) {
      try {
        out.add(Integer.parseInt(p));
      } catch (NumberFormatException e) {
        out.add(0);
      }
    }
    return out;
  }
}
