package io.s2i.internal.archive;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Receives, as an {@link InputArchive} is written, a record of its scripts and source part: one
 * line per entry with its name, type, mode, link target and a file's content SHA-256, without
 * times or owner. The same bytes whether the archive is sent to a container or only mirrored, so
 * a digest of them can be taken while the sources stream.
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
