package io.s2i.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.engine.RegistryException;
import io.s2i.engine.TransferListener;
import io.s2i.internal.image.layout.ImageArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the registry client reports a server on 127.0.0.1 that answers every request with an error
 * status, as a registry behind a failing load balancer does.
 */
class RegistryServerErrorTest {
  @TempDir Path tmp;
  ServerSocket server;
  volatile int status = 503;

  /**
   * Answers every HTTP request with {@link #status}, and a TLS hello with a plain-HTTP 400 (as Go's
   * server, and so docker-registry, does), which sends the client on to plain HTTP.
   */
  @BeforeEach
  void start() throws Exception {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          int first = in.read();
          OutputStream out = s.getOutputStream();
          if (first == 0x16) {
            out.write("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
                .getBytes(StandardCharsets.US_ASCII));
            continue;
          }
          // Skip the request head; the requests that reach an erroring server carry no body.
          int matched = 0;
          for (int b = in.read(); b >= 0 && matched < 4; b = in.read()) {
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
              break;
            }
          }
          byte[] body = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"down\"}]}"
              .getBytes(StandardCharsets.UTF_8);
          out.write(("HTTP/1.1 " + status + " Error\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(body);
          out.flush();
        } catch (IOException e) {
          // closed by the test, or the client went away
        }
      }
    }, "error-registry");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private String registry() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  @Test
  void serverErrorsArePullAndPushFailuresWorthRetrying() {
    assertThatThrownBy(() -> new RegistryPuller(line -> {}).pull(registry() + "/team/app:1", Optional.empty(), tmp,
        d -> Optional.empty(), TransferListener.none()))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.transientFailure()).as(e.getMessage() + " / " + e.getCause()).isTrue();
          assertThat(e.getMessage()).contains(registry()).doesNotContain("\n");
          assertThat(e.suggestion()).get().asString().contains("running and reachable");
        });
    ImageArchive empty = new ImageArchive("{\"rootfs\":{\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8), List.of());
    assertThatThrownBy(() -> new RegistryPusher(CompressedLayerMemo.none(), line -> {}).push(empty,
        registry() + "/team/app:1", Optional.empty(), tmp, TransferListener.none()))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.transientFailure()).isTrue());
  }

  @Test
  void aPullIsRetriedOnServerErrorsAndEachRetryIsReported() {
    List<String> retries = new java.util.concurrent.CopyOnWriteArrayList<>();
    TransferListener listener = recordingRetries(retries);
    RegistryPuller puller = new RegistryPuller(new TransferRetry(3, java.time.Duration.ZERO), line -> {});
    assertThatThrownBy(() -> puller.pull(registry() + "/team/app:1", Optional.empty(), tmp,
        d -> Optional.empty(), listener))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining(registry()).hasMessageEndingWith("(gave up after 3 attempts)");
    assertThat(retries).hasSize(2).allMatch(r -> r.startsWith("manifest: ") && r.contains(registry()));
  }

  @Test
  void aClientErrorIsNotRetried() {
    status = 400;
    List<String> retries = new java.util.concurrent.CopyOnWriteArrayList<>();
    TransferListener listener = recordingRetries(retries);
    assertThatThrownBy(() -> new RegistryPuller(new TransferRetry(3, java.time.Duration.ZERO), line -> {})
        .pull(registry() + "/team/app:1", Optional.empty(), tmp, d -> Optional.empty(), listener))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.transientFailure()).isFalse())
        .hasMessageContaining(registry());
    assertThat(retries).isEmpty();
    assertThatThrownBy(() -> new RegistryPuller(line -> {}).pull(registry() + "/team/app:1", Optional.empty(), tmp,
        d -> Optional.empty(), TransferListener.none()))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.transientFailure()).isFalse())
        .hasMessageContaining(registry());
  }

  /** A listener that adds "PART: FAILURE" to {@code retries} for each retry it is told of. */
  private static TransferListener recordingRetries(List<String> retries) {
    return new TransferListener() {
      @Override
      public void layer(String layer, String status, long current, long total, boolean done) {}

      @Override
      public void retrying(String part, String failure, long delaySeconds) {
        retries.add(part + ": " + failure);
      }
    };
  }
}
