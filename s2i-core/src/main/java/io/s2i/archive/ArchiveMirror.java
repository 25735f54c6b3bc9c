package io.s2i.archive;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Receives, as an {@link InputArchive} is written, a copy of its scripts and source part as a tar
 * with every time zeroed, root as owner and each file's content replaced by its SHA-256: the same
 * bytes whether the archive is sent to a container or only mirrored, so a digest of them can be
 * taken while the sources stream.
 */
public interface ArchiveMirror {
  /** The mirrored part starts; called again if the archive is written again. */
  OutputStream begin() throws IOException;

  /** The mirrored part was written completely. */
  void end() throws IOException;

  /** File digests known from earlier runs (files it knows are not read for a mirror-only archive). */
  default ContentHashes hashes() {
    return ContentHashes.NONE;
  }
}
