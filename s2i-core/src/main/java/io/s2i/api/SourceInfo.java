package io.s2i.api;

import java.util.Optional;

/**
 * What is known of where the built source came from; written into the output's labels.
 *
 * @param location the source location as upstream records it
 * @param contextDir the context dir, if any
 * @param commit commit details for git sources
 */
public record SourceInfo(String location, Optional<String> contextDir, Optional<Commit> commit) {

  /**
   * One git commit.
   *
   * @param id full SHA
   * @param ref branch name, or {@code HEAD} when detached
   * @param author {@code Name <email>}
   * @param date author date in git's default format
   * @param message subject line
   */
  public record Commit(String id, String ref, String author, String date, String message) {}
}
