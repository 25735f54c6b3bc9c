package io.s2i.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A bounded in-memory pipe from one thread to another, used to stream archives (into request
 * bodies, from one container into another) without holding them in memory.
 *
 * <p>Written instead of using {@link java.io.PipedInputStream}, which polls once a second when
 * the writer does not flush and ties itself to the liveness of whichever threads last touched it.
 * Here, closing either end wakes the other: a reader gets end of stream after the writer closes,
 * a writer gets {@link ReaderClosedException} after the reader closes.
 */
public final class StreamPipe {
  private final byte[] buffer;
  private int start;
  private int count;
  private boolean writerClosed;
  private boolean readerClosed;
  private boolean drained;

  public StreamPipe(int capacity) {
    buffer = new byte[capacity];
  }

  /** Thrown to the writer when the reading side has gone away. */
  public static final class ReaderClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    ReaderClosedException() {
      super("the receiving side of the stream was closed");
    }
  }

  /** The writing end; {@code close()} signals end of stream. */
  public OutputStream sink() {
    return sink;
  }

  /** The reading end; {@code close()} makes further writes fail. */
  public InputStream source() {
    return source;
  }

  /** Closes the reading end from outside the reader: a blocked or later write fails. */
  public void closeReadingEnd() {
    closeReader();
  }

  /**
   * Waits until the reader has read end of stream (so every byte written has been consumed) or
   * has closed its end.
   */
  public synchronized void awaitDrained() throws InterruptedException {
    while (!drained && !readerClosed) {
      wait();
    }
  }

  private synchronized void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      while (count == buffer.length && !readerClosed && !writerClosed) {
        waitInterruptibly();
      }
      if (readerClosed) {
        throw new ReaderClosedException();
      }
      if (writerClosed) {
        throw new IOException("the stream was already closed");
      }
      int end = (start + count) % buffer.length;
      int n = Math.min(len, Math.min(buffer.length - count, buffer.length - end));
      System.arraycopy(b, off, buffer, end, n);
      count += n;
      off += n;
      len -= n;
      notifyAll();
    }
  }

  private synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (count == 0 && !writerClosed && !readerClosed) {
      waitInterruptibly();
    }
    if (readerClosed) {
      throw new IOException("the stream was closed");
    }
    if (count == 0) {
      drained = true;
      notifyAll();
      return -1;
    }
    int n = Math.min(len, Math.min(count, buffer.length - start));
    System.arraycopy(buffer, start, b, off, n);
    start = (start + n) % buffer.length;
    count -= n;
    notifyAll();
    return n;
  }

  private void waitInterruptibly() throws InterruptedIOException {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while streaming");
    }
  }

  private synchronized void closeWriter() {
    writerClosed = true;
    notifyAll();
  }

  private synchronized void closeReader() {
    readerClosed = true;
    notifyAll();
  }

  private final OutputStream sink =
      new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          StreamPipe.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          StreamPipe.this.write(b, off, len);
        }

        @Override
        public void close() {
          closeWriter();
        }
      };

  private final InputStream source =
      new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          int n = StreamPipe.this.read(one, 0, 1);
          return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return StreamPipe.this.read(b, off, len);
        }

        @Override
        public void close() {
          closeReader();
        }
      };
}
