package io.s2i.engine.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * HTTP over a unix socket with the JDK alone, where docker-java's client costs more than it gives:
 * building its transport (Apache hc5, its public-suffix list) takes 30-60 ms of a 2-core start-up
 * and 100 ms or more of CPU beside it, and a build's requests need none of it. The ping (the first
 * request of a run), attaches (streams in 64 KiB pieces) and {@link #exchange plain requests}.
 */
final class UnixHttp {
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  private UnixHttp() {}

  /** Connects to {@code socket} and sends {@code request} (header and all). */
  static SocketChannel send(Path socket, String request) throws IOException {
    return send(socket, request, new byte[0]);
  }

  /** Connects to {@code socket} and sends the request header {@code request}, then {@code body}. */
  private static SocketChannel send(Path socket, String request, byte[] body) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer[] out = {ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)), ByteBuffer.wrap(body)};
      while (out[0].hasRemaining() || out[1].hasRemaining()) {
        channel.write(out);
      }
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** An answer: its status, and its body as a stream that ends where the daemon closed the connection. */
  record Answer(int status, InputStream body) implements Closeable {
    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /**
   * One request as HTTP/1.0, so that the daemon (Go's net/http) answers without chunks and closes
   * the connection after the body: the body is whatever comes before the end of the stream, and no
   * connection is left to manage. Blocking without a time limit, as a build's requests may take
   * long (a commit, a wait); an interrupt of the calling thread closes the connection.
   *
   * @param body the request body, sent with {@code contentType}; null for none
   */
  static Answer exchange(Path socket, String method, String path, String contentType, byte[] body)
      throws IOException {
    StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path)
        .append(" HTTP/1.0\r\nHost: docker\r\n");
    if (body != null) {
      head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
          .append("\r\n");
    }
    SocketChannel channel = send(socket, head.append("\r\n").toString(), body == null ? new byte[0] : body);
    InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
    try {
      String what = method + " " + path;
      return new Answer(status(readHeader(in, what), what), in);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Reads a response header from a blocking stream, leaving the body in it. */
  static String readHeader(InputStream in, String what) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream(512);
    int last4 = 0;
    for (int b; (b = in.read()) >= 0; ) {
      header.write(b);
      last4 = last4 << 8 | b;
      if (last4 == 0x0d0a0d0a) {
        return header.toString(StandardCharsets.ISO_8859_1);
      }
      if (header.size() > MAX_HEADER_BYTES) {
        throw new IOException("the answer to " + what + " has a header larger than " + MAX_HEADER_BYTES + " bytes");
      }
    }
    throw new IOException("the engine closed the connection before answering " + what);
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
