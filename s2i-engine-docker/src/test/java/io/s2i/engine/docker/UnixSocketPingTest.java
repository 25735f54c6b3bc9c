package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK-only ping against a stand-in daemon on a unix socket. */
class UnixSocketPingTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void readsTheApiVersionHeaderAndSendsAnUnversionedPing() throws Exception {
    AtomicReference<String> request = new AtomicReference<>();
    Path socket = serve(request, "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK");
    assertThat(UnixSocketPing.ping(socket, TIMEOUT)).contains(new ApiVersion(1, 41));
    assertThat(request.get()).startsWith("GET /_ping HTTP/1.1\r\n");
  }

  @Test
  void headerNamesAreCaseInsensitive() throws Exception {
    assertThat(UnixSocketPing.parse("HTTP/1.0 200 OK\r\napi-version:  1.43 ")).contains(new ApiVersion(1, 43));
  }

  @Test
  void successWithoutTheHeaderIsEmpty() throws Exception {
    Path socket = serve(new AtomicReference<>(), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK");
    assertThat(UnixSocketPing.ping(socket, TIMEOUT)).isEqualTo(Optional.empty());
  }

  @Test
  void anErrorStatusIsAnError() throws Exception {
    Path socket = serve(new AtomicReference<>(), "HTTP/1.1 500 Internal Server Error\r\nApi-Version: 1.41\r\n\r\n");
    assertThatThrownBy(() -> UnixSocketPing.ping(socket, TIMEOUT))
        .isInstanceOf(IOException.class)
        .hasMessage("/_ping answered HTTP 500");
  }

  @Test
  void somethingThatIsNotHttpIsAnError() {
    assertThatThrownBy(() -> UnixSocketPing.parse("SSH-2.0-OpenSSH_9.2"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not HTTP");
  }

  @Test
  void aDaemonThatClosesWithoutAnsweringIsAnError() throws Exception {
    Path socket = serve(new AtomicReference<>(), "");
    assertThatThrownBy(() -> UnixSocketPing.ping(socket, TIMEOUT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed the connection");
  }

  @Test
  void aDaemonThatNeverAnswersTimesOut() throws Exception {
    Path socket = dir.resolve("silent.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      // Accepted by the kernel's backlog, never answered.
      assertThatThrownBy(() -> UnixSocketPing.ping(socket, Duration.ofMillis(200)))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("/_ping");
    }
  }

  @Test
  void aMissingSocketSaysSo() {
    assertThatThrownBy(() -> UnixSocketPing.ping(dir.resolve("none.sock"), TIMEOUT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No such file");
  }

  /** A one-shot server: reads the request header, records it, answers {@code response}, closes. */
  private Path serve(AtomicReference<String> request, String response) throws IOException {
    Path socket = dir.resolve("engine.sock");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread t = new Thread(() -> {
      try (server; SocketChannel c = server.accept()) {
        ByteBuffer in = ByteBuffer.allocate(4096);
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("\r\n\r\n") && c.read(in) > 0) {
          seen.setLength(0);
          seen.append(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
        }
        request.set(seen.toString());
        c.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII)));
      } catch (IOException ignored) {
        // the test sees what the client got
      }
    });
    t.setDaemon(true);
    t.start();
    return socket;
  }
}
