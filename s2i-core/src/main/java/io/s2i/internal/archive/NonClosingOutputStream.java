package io.s2i.internal.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Lets a tar writer finish (and "close") without closing the stream underneath, which belongs to
 * the engine that is feeding a container.
 */
public final class NonClosingOutputStream extends FilterOutputStream {
  public NonClosingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }
}
