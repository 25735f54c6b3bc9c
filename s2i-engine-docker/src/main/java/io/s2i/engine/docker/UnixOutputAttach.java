package io.s2i.engine.docker;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A container's stdout and stderr attached over a unix socket with the JDK, read on a thread of
 * its own: the daemon's multiplexed frames (an 8-byte header giving the stream and the length,
 * then the bytes) are handed on in pieces of up to 64 KiB.
 *
 * <p>Why not docker-java's attach: it reads every frame 1 KiB at a time and makes each piece a
 * callback of its own, so 100 MB of save-artifacts output became some 100,000 deliveries, each
 * flushed into the pipe that feeds the next container.
 */
final class UnixOutputAttach implements AutoCloseable {
  /** Receives a piece of a frame's bytes; {@code stream} is 1 for stdout, 2 for stderr. */
  @FunctionalInterface
  interface Receiver {
    void accept(int stream, byte[] bytes, int offset, int length) throws IOException;
  }

  private static final int CHUNK = 64 * 1024;
  private final SocketChannel channel;
  private final Thread reader;
  private volatile Throwable failure;
  private volatile boolean closed;

  private UnixOutputAttach(SocketChannel channel, String name, Receiver receiver) {
    this.channel = channel;
    this.reader = new Thread(() -> read(receiver), name);
    this.reader.setDaemon(true);
  }

  /** Attaches to the output of {@code containerId} and starts reading it into {@code receiver}. */
  static UnixOutputAttach open(Path socket, String pathPrefix, String containerId, Duration timeout,
      Receiver receiver) throws IOException {
    SocketChannel channel = UnixHttp.upgrade(socket, pathPrefix + "/containers/" + containerId
        + "/attach?stream=1&stdin=0&stdout=1&stderr=1", timeout, "the attach to the output of container " + containerId);
    String id = containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    UnixOutputAttach attach = new UnixOutputAttach(channel, "s2i-output-" + id, receiver);
    attach.reader.start();
    return attach;
  }

  private void read(Receiver receiver) {
    try (InputStream in = new BufferedInputStream(Channels.newInputStream(channel), CHUNK)) {
      byte[] header = new byte[8];
      byte[] buffer = new byte[CHUNK];
      while (true) {
        int got = in.readNBytes(header, 0, 8);
        if (got == 0) {
          return; // the container exited and the daemon closed the stream
        }
        if (got < 8) {
          throw new EOFException("the output stream ended inside a frame header");
        }
        int stream = header[0];
        long left = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
            | (header[7] & 0xff);
        while (left > 0) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (n < 0) {
            throw new EOFException("the output stream ended inside a frame");
          }
          receiver.accept(stream, buffer, 0, n);
          left -= n;
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) { // not the failure of a read that close() cut short
        failure = e;
      }
      close(); // a reader that gave up must not leave the container blocked on a full pipe
    }
  }

  /** Waits up to {@code timeout} for the output to end; the failure that ended it early, if any. */
  Optional<Throwable> awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
    reader.join(Math.max(1, unit.toMillis(timeout)));
    return Optional.ofNullable(failure);
  }

  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // the daemon's side is gone already
    }
  }
}
