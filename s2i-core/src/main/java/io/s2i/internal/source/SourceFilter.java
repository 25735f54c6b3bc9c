package io.s2i.internal.source;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which relative paths of a source tree (forward slashes, no leading slash) are left out:
 * those matching the exclude pattern, those removed by {@code .s2iignore}, and script files that
 * were installed from the source (upstream moves them out of the tree).
 */
public final class SourceFilter {
  private final Pattern exclude;
  private final Set<String> ignored;
  private final Set<String> moved;

  public SourceFilter(Pattern exclude, Set<String> ignored, Set<String> moved) {
    this.exclude = exclude;
    this.ignored = Set.copyOf(ignored);
    this.moved = Set.copyOf(moved);
  }

  /** Whether {@code relativePath} stays out of the input. */
  public boolean excludes(String relativePath) {
    if (ignored.contains(relativePath) || moved.contains(relativePath)) {
      return true;
    }
    return exclude != null && exclude.matcher(relativePath).find();
  }
}
