package io.s2i.internal.source;

import io.s2i.api.SourceInfo;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A source ready to be packed: its root on the host (after the context dir is applied) and what
 * is known of its origin.
 *
 * @param root the directory whose content is built
 * @param info where it came from
 * @param cloneDir the clone's directory, when the source was cloned: its content is a stranger's,
 *     so its symlinks go into the build as links and s2i never reads a file through a link that
 *     leads out of it (a local directory's links are followed, as upstream does)
 */
public record PreparedSource(Path root, SourceInfo info, Optional<Path> cloneDir) {

  /** A local directory used in place. */
  public PreparedSource(Path root, SourceInfo info) {
    this(root, info, Optional.empty());
  }

  /** Whether the source's symlinks must be kept as links, whatever the request says. */
  public boolean linksKept() {
    return cloneDir.isPresent();
  }
}
