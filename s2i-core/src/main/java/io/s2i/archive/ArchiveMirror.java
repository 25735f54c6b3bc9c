package io.s2i.archive;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Receives, as an {@link InputArchive} is written, a copy of its scripts and source part as a tar
 * with every time zeroed and root as owner: the same bytes whether the archive is sent to a
 * container or written nowhere, so a digest of them can be taken while the sources stream.
 */
public interface ArchiveMirror {
  /** The mirrored part starts; called again if the archive is written again. */
  OutputStream begin() throws IOException;

  /** The mirrored part was written completely. */
  void end() throws IOException;
}
