package io.s2i.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.Request;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import com.google.cloud.tools.jib.http.Response;
import com.sun.net.httpserver.HttpServer;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pins the jib internals {@link JibHttpClients} reaches: a jib upgrade fails here, loudly, rather
 * than silently bringing back jib's minute of retries.
 */
class JibHttpClientsTest {
  @Test
  void jibIsTheVersionWhoseInternalsWereChecked() {
    assertThat(FailoverHttpClient.class.getPackage().getImplementationVersion())
        .as("jib-core was upgraded: check that FailoverHttpClient's package-private constructors"
            + " (retry switch, transport factories) still exist and mean the same, then raise"
            + " JibHttpClients.WRITTEN_FOR")
        .isEqualTo(JibHttpClients.WRITTEN_FOR);
  }

  @Test
  void bothPackagePrivateConstructorsAreThere() {
    assertThat(JibHttpClients.internalsAvailable())
        .as("FailoverHttpClient's package-private constructors changed: registry pulls and pushes"
            + " would retry for a minute and ignore certs.d")
        .isTrue();
  }

  @Test
  void aRegistryThatWentAwayFailsAtOnceWithoutJibsBackOff() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    URL url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/");
    List<String> debug = new ArrayList<>();
    FailoverHttpClient client = JibHttpClients.newClient(true, e -> {}, Optional.empty(), debug::add);
    try {
      try (Response first = client.get(url, Request.builder().build())) {
        assertThat(first.getStatusCode()).isEqualTo(200);
      }
      server.stop(0);
      long start = System.nanoTime();
      assertThatThrownBy(() -> client.get(url, Request.builder().build())).isInstanceOf(IOException.class);
      // jib's own retries, once it knows the registry, back off for some 50 s before giving up.
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    } finally {
      server.stop(0);
      client.shutDown();
    }
    assertThat(debug).isEmpty();
  }
}
