package io.s2i.engine;

import java.io.IOException;
import java.io.OutputStream;

/** A tar stream that can be written on demand, more than once. */
@FunctionalInterface
public interface ArchiveSource {
  /** Writes the whole archive to {@code out}; does not close it. */
  void writeTo(OutputStream out) throws IOException;
}
