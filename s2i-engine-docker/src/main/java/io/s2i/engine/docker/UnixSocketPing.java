package io.s2i.engine.docker;

import java.io.IOException;
import java.nio.channels.SocketChannel;
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
  private static final String REQUEST = "GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n";

  private UnixSocketPing() {}

  /**
   * The {@code Api-Version} the daemon at {@code socket} reports; empty when it answers with
   * success but without that header.
   *
   * @throws IOException when it cannot be reached, does not answer within {@code timeout}, or
   *     answers with anything but success
   */
  static Optional<ApiVersion> ping(Path socket, Duration timeout) throws IOException {
    try (SocketChannel channel = UnixHttp.send(socket, REQUEST)) {
      return parse(UnixHttp.readHeader(channel, timeout, "/_ping"));
    }
  }

  /** The version from a response header; package-private for tests. */
  static Optional<ApiVersion> parse(String header) throws IOException {
    String[] lines = header.split("\r\n");
    int code = UnixHttp.status(header, "/_ping");
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
