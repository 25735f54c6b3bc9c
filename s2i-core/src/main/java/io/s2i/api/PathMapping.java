package io.s2i.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code source:destination} pair as used by {@code --inject}, {@code --runtime-artifact} and the
 * {@code io.openshift.s2i.assemble-input-files} label. Parsed as upstream does: several specs may
 * be joined with {@code ;}; each is split at its last {@code :}; quotes are trimmed; empty halves
 * become {@code .}.
 */
public record PathMapping(String source, String destination) {
  private static final String FORBIDDEN = ";*?\"<>|%#$!+{}&[],'`";

  /** Parses one flag value, which may hold several {@code ;}-separated specs. */
  public static List<PathMapping> parseList(String value) {
    List<PathMapping> result = new ArrayList<>();
    for (String spec : value.split(";")) {
      if (spec.isEmpty()) {
        continue;
      }
      int colon = spec.lastIndexOf(':');
      String src = colon < 0 ? spec : spec.substring(0, colon);
      String dst = colon < 0 ? "" : spec.substring(colon + 1);
      src = clean(trimQuotes(src.trim()));
      dst = clean(trimQuotes(dst.trim()));
      if (hasForbidden(src) || hasForbidden(dst)) {
        throw new IllegalArgumentException("invalid characters in filename: \"" + value + "\"");
      }
      result.add(new PathMapping(src, dst));
    }
    return result;
  }

  private static boolean hasForbidden(String s) {
    return s.chars().anyMatch(c -> FORBIDDEN.indexOf(c) >= 0);
  }

  private static String trimQuotes(String s) {
    if (s.length() >= 2
        && ((s.startsWith("\"") && s.endsWith("\"")) || (s.startsWith("'") && s.endsWith("'")))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  /** Lexical path cleaning with forward slashes, as Go's {@code path.Clean}; empty becomes ".". */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    List<String> out = new ArrayList<>();
    for (String part : path.split("/+")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
        } else if (!rooted) {
          out.add("..");
        }
      } else {
        out.add(part);
      }
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }
}
