package io.s2i.source;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
      String glob = negate ? line.substring(1) : line;
      while (glob.startsWith("/")) {
        glob = glob.substring(1);
      }
      if (glob.isEmpty()) {
        continue;
      }
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + escapeBraces(glob));
      if (negate) {
        scheduled.removeIf(p -> matcher.matches(Path.of(p)));
      } else {
        for (String p : all) {
          if (matcher.matches(Path.of(p))) {
            scheduled.add(p);
          }
        }
      }
    }
    return scheduled;
  }

  // Go's filepath.Glob has no {a,b} alternation; keep braces literal as upstream does.
  private static String escapeBraces(String glob) {
    return glob.replace("{", "\\{").replace("}", "\\}");
  }
}
