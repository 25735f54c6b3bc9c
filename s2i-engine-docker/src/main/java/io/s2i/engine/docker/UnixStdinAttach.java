package io.s2i.engine.docker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A container's stdin attached over a unix socket with the JDK: the input goes in 64 KiB writes
 * and the connection is half-closed at its end, which the daemon passes on as end of file.
 *
 * <p>Why not docker-java's hijacking: it copies the input 1 KiB at a time and flushes each piece
 * to the socket. Measured here, 100 MB into {@code cat > /dev/null} took 0.34-0.60 s in 1 KiB
 * writes against 0.16-0.26 s in 64 KiB ones; the input archive (sources, restored artifacts) is
 * the largest stream of a build.
 */
final class UnixStdinAttach implements StdinConnection {
  private static final int CHUNK = 64 * 1024;
  private final SocketChannel channel;

  private UnixStdinAttach(SocketChannel channel) {
    this.channel = channel;
  }

  /** Attaches to the stdin of {@code containerId} (the daemon's answer read within {@code timeout}). */
  static UnixStdinAttach open(Path socket, String pathPrefix, String containerId, Duration timeout)
      throws IOException {
    return new UnixStdinAttach(UnixHttp.upgrade(socket, pathPrefix + "/containers/" + containerId
        + "/attach?stream=1&stdin=1&stdout=0&stderr=0", timeout, "the attach to the stdin of container " + containerId));
  }

  @Override
  public void pump(InputStream in) throws IOException {
    byte[] buffer = new byte[CHUNK];
    int n;
    while ((n = in.read(buffer, 0, CHUNK)) >= 0) {
      ByteBuffer out = ByteBuffer.wrap(buffer, 0, n);
      while (out.hasRemaining()) {
        channel.write(out);
      }
    }
    channel.shutdownOutput();
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the daemon's side is gone already
    }
  }
}
