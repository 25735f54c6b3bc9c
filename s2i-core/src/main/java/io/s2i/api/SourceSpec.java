package io.s2i.api;

import java.util.Optional;

/**
 * Where the application source comes from and how it is prepared.
 *
 * @param location a local path, {@code file://} URL or git URL, as typed
 * @param ref git ref to check out, or empty for the default
 * @param contextDir sub-directory used as the application root, or empty
 * @param forceCopy copy a local git work tree instead of cloning it ({@code --copy})
 * @param keepSymlinks keep symlinks as symlinks instead of following them
 * @param excludePattern regular expression of paths to leave out; empty excludes nothing
 * @param ignoreSubmodules skip submodule checkout
 * @param binary how a source that is a single file becomes the source directory
 */
public record SourceSpec(
    String location,
    Optional<String> ref,
    Optional<String> contextDir,
    boolean forceCopy,
    boolean keepSymlinks,
    String excludePattern,
    boolean ignoreSubmodules,
    BinaryInput binary) {

  /** Upstream's default exclusion: the {@code .git} directory. */
  public static final String DEFAULT_EXCLUDE = "(^|/)\\.git(/|$)";

  public SourceSpec {
    ref = ref.filter(s -> !s.isBlank());
    contextDir = contextDir.filter(s -> !s.isBlank());
    excludePattern = excludePattern == null ? DEFAULT_EXCLUDE : excludePattern;
    binary = binary == null ? BinaryInput.auto() : binary;
  }

  /** A source whose single-file handling is the default ({@link BinaryInput#auto()}). */
  public SourceSpec(String location, Optional<String> ref, Optional<String> contextDir,
      boolean forceCopy, boolean keepSymlinks, String excludePattern, boolean ignoreSubmodules) {
    this(location, ref, contextDir, forceCopy, keepSymlinks, excludePattern, ignoreSubmodules,
        BinaryInput.auto());
  }

  /** This source with another single-file handling. */
  public SourceSpec withBinary(BinaryInput binary) {
    return new SourceSpec(location, ref, contextDir, forceCopy, keepSymlinks, excludePattern,
        ignoreSubmodules, binary);
  }

  /** A local directory with every default. */
  public static SourceSpec local(String path) {
    return new SourceSpec(path, Optional.empty(), Optional.empty(), false, false, DEFAULT_EXCLUDE, false);
  }
}
