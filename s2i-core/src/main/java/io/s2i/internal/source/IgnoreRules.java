package io.s2i.internal.source;

import io.s2i.internal.fs.UnixPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules of a {@code .s2iignore} file, with upstream's semantics: each line is a glob relative
 * to the source root that matches files or directories at exactly its depth (not recursively); a
 * {@code !} line takes matches of earlier lines back; blank and {@code #} lines are skipped.
 */
public final class IgnoreRules {
  private final List<String> lines;

  private IgnoreRules(List<String> lines) {
    this.lines = List.copyOf(lines);
  }

  /** No rules. */
  public static IgnoreRules none() {
    return new IgnoreRules(List.of());
  }

  /** Reads {@code file} if it exists. */
  public static IgnoreRules read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return none();
    }
    return parse(Files.readAllLines(file));
  }

  /** Parses the lines of an ignore file. */
  public static IgnoreRules parse(List<String> rawLines) {
    List<String> kept = new ArrayList<>();
    for (String raw : rawLines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      kept.add(line);
    }
    return new IgnoreRules(kept);
  }

  /** Whether there are no rules. */
  public boolean isEmpty() {
    return lines.isEmpty();
  }

  /**
   * The relative paths (forward slashes) under {@code root} that the rules remove. A removed
   * directory takes its whole content with it.
   */
  public Set<String> ignoredPaths(Path root) throws IOException {
    Set<String> scheduled = new LinkedHashSet<>();
    if (lines.isEmpty()) {
      return scheduled;
    }
    List<String> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.filter(p -> !p.equals(root))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
    for (String line : lines) {
      boolean negate = line.startsWith("!");
      // upstream joins the line to the source root, which cleans it (./a, sub/../b)
      String glob = UnixPaths.join(negate ? line.substring(1) : line);
      while (glob.startsWith("/")) {
        glob = glob.substring(1);
      }
      if (glob.isEmpty() || glob.equals(".") || glob.equals("..") || glob.startsWith("../")) {
        continue;
      }
      Pattern matcher = goGlob(glob);
      if (matcher == null) {
        continue; // a malformed pattern matches nothing, as Go's filepath.Glob
      }
      if (negate) {
        scheduled.removeIf(p -> matcher.matcher(p).matches());
      } else {
        for (String p : all) {
          if (matcher.matcher(p).matches()) {
            scheduled.add(p);
          }
        }
      }
    }
    return scheduled;
  }

  /**
   * Translates a glob with Go's {@code filepath.Match} syntax to a regex over relative paths:
   * {@code *} and {@code ?} never cross a {@code /} (so {@code **} is just {@code *}),
   * {@code [^...]} negates a class, {@code \\} escapes, everything else (braces too) is literal.
   * Returns null for a malformed pattern.
   */
  static Pattern goGlob(String glob) {
    StringBuilder re = new StringBuilder();
    int len = glob.length();
    for (int i = 0; i < len; i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '\\') {
        if (++i >= len) {
          return null;
        }
        re.append(literal(glob.charAt(i)));
      } else if (c == '[') {
        int j = i + 1;
        StringBuilder cls = new StringBuilder("[");
        if (j < len && glob.charAt(j) == '^') {
          cls.append("^/");
          j++;
        }
        boolean any = false;
        while (j < len && glob.charAt(j) != ']') {
          char lo = glob.charAt(j);
          if (lo == '\\') {
            if (++j >= len) {
              return null;
            }
            lo = glob.charAt(j);
          }
          j++;
          cls.append(literal(lo));
          if (j + 1 < len && glob.charAt(j) == '-' && glob.charAt(j + 1) != ']') {
            j++;
            char hi = glob.charAt(j);
            if (hi == '\\') {
              if (++j >= len) {
                return null;
              }
              hi = glob.charAt(j);
            }
            j++;
            if (hi < lo) {
              return null;
            }
            cls.append('-').append(literal(hi));
          }
          any = true;
        }
        if (j >= len || !any) {
          return null;
        }
        re.append(cls).append(']');
        i = j;
      } else {
        re.append(literal(c));
      }
    }
    return Pattern.compile(re.toString());
  }

  private static String literal(char c) {
    return String.format("\\x{%x}", (int) c);
  }
}
