package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain requests over the JDK's unix socket against a stand-in daemon that answers as Go's net/http does to HTTP/1.0. */
class UnixHttpTest {
  @TempDir Path dir;

  /** Reads one request (header, then as many body bytes as it declares), answers {@code answer} and closes. */
  private CompletableFuture<String> daemon(Path socket, String answer) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    CompletableFuture<String> seen = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (server; SocketChannel c = server.accept()) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        while (!complete(all.toString(StandardCharsets.ISO_8859_1)) && c.read(in) > 0) {
          all.write(in.array(), 0, in.position());
          in.clear();
        }
        ByteBuffer out = ByteBuffer.wrap(answer.getBytes(StandardCharsets.ISO_8859_1));
        while (out.hasRemaining()) {
          c.write(out);
        }
        seen.complete(all.toString(StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        seen.completeExceptionally(e);
      }
    });
    t.setDaemon(true);
    t.start();
    return seen;
  }

  private static boolean complete(String request) {
    int end = request.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    int length = request.lines().filter(l -> l.startsWith("Content-Length: ")).findFirst()
        .map(l -> Integer.parseInt(l.substring(16).strip())).orElse(0);
    return request.length() >= end + 4 + length;
  }

  @Test
  void sendsHttp10WithTheBodyAndReadsTheAnswerToTheEndOfTheConnection() throws Exception {
    Path socket = dir.resolve("engine.sock");
    String json = "{\"Image\":\"builder\",\"Cmd\":[\"/bin/sh\"]}";
    CompletableFuture<String> seen = daemon(socket,
        "HTTP/1.0 201 Created\r\nContent-Type: application/json\r\n\r\n{\"Id\":\"abc\",\"Warnings\":[]}\n");

    try (UnixHttp.Answer answer = UnixHttp.exchange(socket, "POST", "/v1.41/containers/create?name=s2i_x",
        "application/json", json.getBytes(StandardCharsets.UTF_8))) {
      assertThat(answer.status()).isEqualTo(201);
      assertThat(new String(answer.body().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("{\"Id\":\"abc\",\"Warnings\":[]}\n");
    }
    String request = seen.get(15, TimeUnit.SECONDS);
    assertThat(request).startsWith("POST /v1.41/containers/create?name=s2i_x HTTP/1.0\r\n")
        .contains("Content-Type: application/json\r\n", "Content-Length: " + json.length() + "\r\n")
        .endsWith("\r\n\r\n" + json);
  }

  @Test
  void aRequestWithoutBodyDeclaresNone() throws Exception {
    Path socket = dir.resolve("engine.sock");
    CompletableFuture<String> seen = daemon(socket, "HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"No such image: x\"}");

    try (UnixHttp.Answer answer = UnixHttp.exchange(socket, "GET", "/v1.41/images/x/json", null, null)) {
      assertThat(answer.status()).isEqualTo(404);
      assertThat(DockerErrors.daemonMessage(new String(answer.body().readAllBytes(), StandardCharsets.UTF_8)))
          .isEqualTo("No such image: x");
    }
    assertThat(seen.get(15, TimeUnit.SECONDS)).isEqualTo("GET /v1.41/images/x/json HTTP/1.0\r\nHost: docker\r\n\r\n");
  }

  @Test
  void aDaemonThatClosesWithoutAnsweringIsAClearError() throws Exception {
    Path socket = dir.resolve("engine.sock");
    daemon(socket, "");

    assertThatThrownBy(() -> UnixHttp.exchange(socket, "POST", "/v1.41/containers/x/start", null, null))
        .isInstanceOf(IOException.class)
        .hasMessage("the engine closed the connection before answering POST /v1.41/containers/x/start");
  }
}
