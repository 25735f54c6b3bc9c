package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.engine.EngineUnavailableException;
import io.s2i.testing.engine.TlsEngine;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS settings against a daemon that demands TLS and a client certificate (upstream's
 * connectivity matrix: success iff TLS without verification, or verification with the right CA,
 * and a client certificate where the daemon demands one). The engine's operations over this
 * transport are {@link DockerTlsEngineContractIT}'s; pull, push, save, load and a Dockerfile build
 * are TlsEngineIT's (s2i-cli), through whole builds.
 */
class DockerTlsIT {
  private static final String BASE = "localhost/s2i-test/base:latest";
  private static TlsEngine tls;

  @BeforeAll
  static void requireDaemon() {
    tls = TlsEngine.require();
    tls.copyFromMainDaemon(BASE);
  }

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", "/nonexistent"); // no ~/.docker/*.pem may stand in
    env.put("DOCKER_HOST", tls.host());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void verifiedWithTheCaAndAClientCertificateOpensAndWorks() throws Exception {
    try (DockerEngine engine = (DockerEngine) new DockerEngineProvider().open(env("DOCKER_TLS_VERIFY", "1",
        "S2I_DOCKER_TLS_CA", tls.ca().toString(), "S2I_DOCKER_TLS_CERT", tls.cert().toString(),
        "S2I_DOCKER_TLS_KEY", tls.key().toString()))) {
      assertThat(engine.endpoint()).isEqualTo(tls.host());
      assertThat(engine.images().inspect(BASE)).isPresent();
    }
  }

  @Test
  void theCertPathDirectoryAloneIsEnoughAsForTheDockerCli() throws Exception {
    try (var engine = new DockerEngineProvider().open(env("DOCKER_TLS_VERIFY", "1",
        "DOCKER_CERT_PATH", tls.certs().toString()))) {
      assertThat(engine.images().inspect(BASE)).isPresent();
    }
  }

  @Test
  void tlsWithoutVerificationTrustsAnyDaemonCertificate() throws Exception {
    try (var engine = new DockerEngineProvider().open(env("DOCKER_TLS", "1",
        "S2I_DOCKER_TLS_CA", tls.otherCa().toString(), "S2I_DOCKER_TLS_CERT", tls.cert().toString(),
        "S2I_DOCKER_TLS_KEY", tls.key().toString()))) {
      assertThat(engine.images().inspect(BASE)).isPresent();
    }
  }

  @Test
  void theWrongCaNoClientCertificateOrNoTlsAreRefusedNamingTheEndpoint() {
    assertUnavailable(env("DOCKER_TLS_VERIFY", "1", "S2I_DOCKER_TLS_CA", tls.otherCa().toString(),
        "S2I_DOCKER_TLS_CERT", tls.cert().toString(), "S2I_DOCKER_TLS_KEY", tls.key().toString()),
        "certification path");
    assertUnavailable(env("DOCKER_TLS_VERIFY", "1", "S2I_DOCKER_TLS_CA", tls.ca().toString()),
        "no client certificate");
    assertUnavailable(env(), "HTTP 400");
  }

  private static void assertUnavailable(Map<String, String> env, String text) {
    assertThatThrownBy(() -> new DockerEngineProvider().open(env))
        .isInstanceOfSatisfying(EngineUnavailableException.class, e -> {
          assertThat(e.reason().exitCode()).isEqualTo(7);
          assertThat(e.getMessage() + " " + e.suggestion().orElse("")).contains(tls.host()).contains(text);
        });
  }
}
