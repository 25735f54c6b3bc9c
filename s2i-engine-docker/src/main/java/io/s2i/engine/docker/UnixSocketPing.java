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
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /_ping} over a unix socket with the JDK alone. It is the first request of every run,
 * and docker-java's HTTP client takes a few hundred milliseconds to be made ready (its class
 * loading, Jackson and TLS set-up); asking with a plain socket answers the daemon's API version
 * at once, so that client is built only once, with the negotiated version.
 */
final class UnixSocketPing {
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final byte[] REQUEST =
      "GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private UnixSocketPing() {}

  /**
   * The {@code Api-Version} the daemon at {@code socket} reports; empty when it answers with
   * success but without that header.
   *
   * @throws IOException when it cannot be reached, does not answer within {@code timeout}, or
   *     answers with anything but success
   */
  static Optional<ApiVersion> ping(Path socket, Duration timeout) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap(REQUEST);
      while (out.hasRemaining()) {
        channel.write(out);
      }
      return parse(readHeader(channel, timeout));
    }
  }

  /** Reads up to the blank line that ends the response header, waiting at most {@code timeout}. */
  private static String readHeader(SocketChannel channel, Duration timeout) throws IOException {
    // Non-blocking with a selector: a blocking channel has no read timeout, and a daemon that
    // accepts but never answers must not hang the build.
    channel.configureBlocking(false);
    ByteBuffer in = ByteBuffer.allocate(MAX_HEADER_BYTES);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      while (true) {
        int n = channel.read(in);
        int end = headerEnd(in);
        if (end >= 0) {
          return new String(in.array(), 0, end, StandardCharsets.ISO_8859_1);
        }
        if (n < 0) {
          throw new IOException("the engine closed the connection before answering /_ping");
        }
        if (!in.hasRemaining()) {
          throw new IOException("the answer to /_ping has a header larger than " + MAX_HEADER_BYTES + " bytes");
        }
        if (n == 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new SocketTimeoutException(
                "no answer to /_ping within " + timeout.toSeconds() + " s");
          }
          selector.select(Math.max(1, left / 1_000_000));
          selector.selectedKeys().clear();
        }
      }
    }
  }

  private static int headerEnd(ByteBuffer in) {
    byte[] b = in.array();
    for (int i = 3; i < in.position(); i++) {
      if (b[i - 3] == '\r' && b[i - 2] == '\n' && b[i - 1] == '\r' && b[i] == '\n') {
        return i - 3;
      }
    }
    return -1;
  }

  /** The version from a response header; package-private for tests. */
  static Optional<ApiVersion> parse(String header) throws IOException {
    String[] lines = header.split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/")) {
      throw new IOException("the engine's answer to /_ping is not HTTP: " + DockerErrors.oneLine(lines[0]));
    }
    int code;
    try {
      code = Integer.parseInt(status[1]);
    } catch (NumberFormatException e) {
      throw new IOException("the engine's answer to /_ping has no status: " + DockerErrors.oneLine(lines[0]));
    }
    if (code / 100 != 2) {
      throw new IOException("/_ping answered HTTP " + code);
    }
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("api-version")) {
        return ApiVersion.parse(lines[i].substring(colon + 1));
      }
    }
    return Optional.empty();
  }
}
