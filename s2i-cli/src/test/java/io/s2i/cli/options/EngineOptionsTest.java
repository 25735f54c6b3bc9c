package io.s2i.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.engine.EngineUnavailableException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineOptionsTest {
  @TempDir Path tmp;

  private static EngineOptions.Flags flags(String url, String engine) {
    return new EngineOptions.Flags(url, engine, false, false, null, null, null);
  }

  @Test
  void aNamedEndpointNamesTheDockerEngineAndNothingNamedLetsTheFirstThatAnswers() throws Exception {
    assertThat(EngineOptions.choose(flags(null, null), Map.of()).name()).isEmpty();
    assertThat(EngineOptions.choose(flags("tcp://127.0.0.1:2376", null), Map.of()).name()).contains("docker");
    assertThat(EngineOptions.choose(flags(null, null), Map.of("DOCKER_HOST", "unix:///x.sock")).name())
        .contains("docker");
    assertThat(EngineOptions.choose(flags(null, ""), Map.of("DOCKER_HOST", "")).name()).isEmpty();
    // --engine wins, also over a named endpoint (the oci engine loads results into that daemon).
    EngineOptions.Choice oci = EngineOptions.choose(flags("unix:///x.sock", "oci"), Map.of());
    assertThat(oci.name()).contains("oci");
    assertThat(oci.environment()).containsEntry("DOCKER_HOST", "unix:///x.sock");
  }

  @Test
  void aNamedEndpointThatDoesNotAnswerIsExitSevenNamingItWithNoFallback() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "tcp://127.0.0.1:" + port;
    List<String> log = new ArrayList<>();
    assertThatThrownBy(() -> EngineOptions.open(EngineOptions.choose(flags(url, null), Map.of()), log::add))
        .isInstanceOfSatisfying(EngineUnavailableException.class, e -> {
          assertThat(e.reason().exitCode()).isEqualTo(7);
          assertThat(e.getMessage()).contains(url);
        });
    assertThat(log).noneMatch(line -> line.contains("oci"));
  }

  @Test
  void tlsFlagsBecomeTheDockerEnginesVariables() throws Exception {
    Path ca = Files.writeString(tmp.resolve("ca.pem"), "x");
    Path cert = Files.writeString(tmp.resolve("cert.pem"), "x");
    Path key = Files.writeString(tmp.resolve("key.pem"), "x");
    EngineOptions.Choice choice = EngineOptions.choose(new EngineOptions.Flags("tcp://127.0.0.1:2376", null, false,
        true, ca.toString(), cert.toString(), key.toString()), Map.of("PATH", "/bin"));
    assertThat(choice.environment()).containsEntry("DOCKER_TLS_VERIFY", "1").doesNotContainKey("DOCKER_TLS")
        .containsEntry("S2I_DOCKER_TLS_CA", ca.toString()).containsEntry("S2I_DOCKER_TLS_CERT", cert.toString())
        .containsEntry("S2I_DOCKER_TLS_KEY", key.toString()).containsEntry("PATH", "/bin");
    EngineOptions.Choice noVerify = EngineOptions.choose(new EngineOptions.Flags("tcp://127.0.0.1:2376", null, true,
        false, null, null, null), Map.of());
    assertThat(noVerify.environment()).containsEntry("DOCKER_TLS", "1").doesNotContainKey("DOCKER_TLS_VERIFY");
    // Certificates with TLS switched on by the environment, as the docker CLI allows.
    assertThat(EngineOptions.choose(new EngineOptions.Flags(null, null, false, false, ca.toString(), null, null),
        Map.of("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "1")).environment())
        .containsEntry("S2I_DOCKER_TLS_CA", ca.toString());
  }

  @Test
  void tlsFlagsThatWouldReachNothingAreRefused() throws Exception {
    Path cert = Files.writeString(tmp.resolve("cert.pem"), "x");
    assertRefused(new EngineOptions.Flags("tcp://h:2376", null, false, false, null, cert.toString(), null),
        "TLS is off");
    assertRefused(new EngineOptions.Flags(null, null, false, true, null, null, null), "the local socket");
    assertRefused(new EngineOptions.Flags("unix:///var/run/docker.sock", null, true, false, null, null, null),
        "unix:///var/run/docker.sock");
    assertRefused(new EngineOptions.Flags("tcp://h:2376", null, false, true, tmp.resolve("missing.pem").toString(),
        null, null), "--ca " + tmp.resolve("missing.pem") + " is not a readable file");
  }

  private static void assertRefused(EngineOptions.Flags flags, String text) {
    assertThatThrownBy(() -> EngineOptions.choose(flags, Map.of()))
        .isInstanceOfSatisfying(S2iException.class, e -> {
          assertThat(e.reason()).isEqualTo(FailureReason.INVALID_REQUEST);
          assertThat(e.getMessage()).contains(text);
          assertThat(e.suggestion()).isPresent();
        });
  }
}
