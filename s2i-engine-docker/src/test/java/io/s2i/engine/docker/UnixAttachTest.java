package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK-only stdin and output attaches against a stand-in daemon on a unix socket. */
class UnixAttachTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  @TempDir Path dir;

  /** What the stand-in daemon saw: the request header and every byte after it up to end of input. */
  record Seen(String header, byte[] body) {}

  private CompletableFuture<Seen> daemon(Path socket, String answer) throws IOException {
    return daemon(socket, answer, new byte[0]);
  }

  /** Answers the attach with {@code answer} followed by {@code output}, then reads until end of input. */
  private CompletableFuture<Seen> daemon(Path socket, String answer, byte[] output) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    CompletableFuture<Seen> seen = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (server; SocketChannel c = server.accept()) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        int headerEnd = -1;
        while (headerEnd < 0 && c.read(in) > 0) {
          all.write(in.array(), 0, in.position());
          in.clear();
          headerEnd = new String(all.toByteArray(), StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        }
        c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.ISO_8859_1)));
        ByteBuffer out = ByteBuffer.wrap(output);
        while (out.hasRemaining()) {
          c.write(out);
        }
        if (output.length > 0) {
          c.shutdownOutput(); // the container exited
        }
        while (c.read(in) >= 0) { // until the client half-closes
          all.write(in.array(), 0, in.position());
          in.clear();
        }
        byte[] bytes = all.toByteArray();
        seen.complete(new Seen(new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1),
            Arrays.copyOfRange(bytes, headerEnd + 4, bytes.length)));
      } catch (IOException e) {
        seen.completeExceptionally(e);
      }
    });
    t.setDaemon(true);
    t.start();
    return seen;
  }

  @Test
  void upgradesSendsTheWholeInputAndHalfClosesAtItsEnd() throws Exception {
    Path socket = dir.resolve("engine.sock");
    CompletableFuture<Seen> seen = daemon(socket, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
    byte[] input = new byte[1_000_003];
    new java.util.Random(1).nextBytes(input);

    try (UnixStdinAttach stdin = UnixStdinAttach.open(socket, "/v1.41", "abc123", TIMEOUT)) {
      stdin.pump(new ByteArrayInputStream(input));
      // The daemon saw the end of input while the connection is still open: a half-close.
      Seen got = seen.get(10, TimeUnit.SECONDS);
      assertThat(got.header()).startsWith("POST /v1.41/containers/abc123/attach?stream=1&stdin=1&stdout=0&stderr=0 HTTP/1.1\r\n")
          .contains("Upgrade: tcp");
      assertThat(got.body()).isEqualTo(input);
    }
  }

  @Test
  void aRefusedAttachIsAnError() throws Exception {
    Path socket = dir.resolve("engine.sock");
    daemon(socket, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    assertThatThrownBy(() -> UnixStdinAttach.open(socket, "/v1.41", "gone", TIMEOUT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP 404").hasMessageContaining("container gone");
  }

  private static byte[] frame(int stream, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.put((byte) stream).put(new byte[3]).putInt(payload.length).put(payload);
    return b.array();
  }

  @Test
  void outputFramesAreSplitIntoTheirStreams() throws Exception {
    Path socket = dir.resolve("engine.sock");
    byte[] big = new byte[200_000];
    new java.util.Random(2).nextBytes(big);
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    frames.write(frame(1, "out one\n".getBytes(StandardCharsets.UTF_8)));
    frames.write(frame(2, "err\n".getBytes(StandardCharsets.UTF_8)));
    frames.write(frame(1, big));
    CompletableFuture<Seen> seen = daemon(socket, "HTTP/1.1 101 UPGRADED\r\n\r\n", frames.toByteArray());
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    try (UnixOutputAttach attach = UnixOutputAttach.open(socket, "/v1.41", "abc", TIMEOUT,
        (stream, bytes, off, len) -> (stream == 2 ? stderr : stdout).write(bytes, off, len))) {
      assertThat(attach.awaitEnd(10, TimeUnit.SECONDS)).isEmpty();
    }
    assertThat(seen.get(10, TimeUnit.SECONDS).header())
        .startsWith("POST /v1.41/containers/abc/attach?stream=1&stdin=0&stdout=1&stderr=1 HTTP/1.1\r\n");
    assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
    byte[] out = stdout.toByteArray();
    assertThat(new String(out, 0, 8, StandardCharsets.UTF_8)).isEqualTo("out one\n");
    assertThat(Arrays.copyOfRange(out, 8, out.length)).isEqualTo(big);
  }

  @Test
  void anOutputStreamCutInsideAFrameIsReported() throws Exception {
    Path socket = dir.resolve("engine.sock");
    byte[] cut = Arrays.copyOf(frame(1, new byte[100]), 50);
    daemon(socket, "HTTP/1.1 101 UPGRADED\r\n\r\n", cut);
    try (UnixOutputAttach attach = UnixOutputAttach.open(socket, "/v1.41", "abc", TIMEOUT, (s, b, o, l) -> { })) {
      assertThat(attach.awaitEnd(10, TimeUnit.SECONDS)).hasValueSatisfying(
          e -> assertThat(e).hasMessageContaining("inside a frame"));
    }
  }
}
