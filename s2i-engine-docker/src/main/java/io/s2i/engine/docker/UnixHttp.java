package io.s2i.engine.docker;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One HTTP/1.1 exchange over a unix socket with the JDK alone, up to the response header: for the
 * two requests where docker-java's client costs more than it gives ({@link UnixSocketPing}, the
 * first request of a run; {@link UnixStdinAttach}, a container's stdin).
 */
final class UnixHttp {
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  private UnixHttp() {}

  /** Connects to {@code socket} and sends {@code request} (header and all). */
  static SocketChannel send(Path socket, String request) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
      while (out.hasRemaining()) {
        channel.write(out);
      }
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Sends {@code POST path} asking to switch the connection to a raw stream (as the docker CLI's
   * attach does) and returns it once the daemon has agreed; {@code what} names it in errors.
   */
  static SocketChannel upgrade(Path socket, String path, Duration timeout, String what) throws IOException {
    SocketChannel channel = send(socket, "POST " + path + " HTTP/1.1\r\nHost: docker\r\n"
        + "Content-Type: text/plain\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
    try {
      int status = status(readHeader(channel, timeout, what), what);
      // 101 when the daemon honours the upgrade; older ones answer 200 and hijack all the same.
      if (status != 101 && status != 200) {
        throw new IOException("the daemon answered HTTP " + status + " to " + what);
      }
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Reads up to the blank line that ends the response header, waiting at most {@code timeout};
   * {@code what} names the request in errors. The channel is left in blocking mode.
   */
  static String readHeader(SocketChannel channel, Duration timeout, String what) throws IOException {
    // Non-blocking with a selector: a blocking channel has no read timeout, and a daemon that
    // accepts but never answers must not hang the build. Read a byte at a time past nothing: the
    // answer's body (if any) stays in the channel for the caller.
    channel.configureBlocking(false);
    ByteBuffer in = ByteBuffer.allocate(MAX_HEADER_BYTES);
    ByteBuffer one = ByteBuffer.allocate(1);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      while (true) {
        one.clear();
        int n = channel.read(one);
        if (n > 0) {
          in.put(one.get(0));
          if (endsHeader(in)) {
            return new String(in.array(), 0, in.position() - 4, StandardCharsets.ISO_8859_1);
          }
          if (!in.hasRemaining()) {
            throw new IOException("the answer to " + what + " has a header larger than " + MAX_HEADER_BYTES + " bytes");
          }
          continue;
        }
        if (n < 0) {
          throw new IOException("the engine closed the connection before answering " + what);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SocketTimeoutException("no answer to " + what + " within " + timeout.toSeconds() + " s");
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
      }
    } finally {
      if (channel.isOpen()) {
        channel.configureBlocking(true); // the selector is closed: its key is gone
      }
    }
  }

  private static boolean endsHeader(ByteBuffer in) {
    int p = in.position();
    byte[] b = in.array();
    return p >= 4 && b[p - 4] == '\r' && b[p - 3] == '\n' && b[p - 2] == '\r' && b[p - 1] == '\n';
  }

  /** The status code of a response header. */
  static int status(String header, String what) throws IOException {
    String first = header.lines().findFirst().orElse("");
    String[] status = first.split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/")) {
      throw new IOException("the engine's answer to " + what + " is not HTTP: " + DockerErrors.oneLine(first));
    }
    try {
      return Integer.parseInt(status[1]);
    } catch (NumberFormatException e) {
      throw new IOException("the engine's answer to " + what + " has no status: " + DockerErrors.oneLine(first));
    }
  }
}
