package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.FailureReason;
import io.s2i.engine.EngineProvider;
import io.s2i.engine.EngineUnavailableException;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerEngineProviderTest {
  private final DockerEngineProvider provider = new DockerEngineProvider();

  @Test
  void isRegisteredAsAServiceWithIdAndPriority() {
    assertThat(ServiceLoader.load(EngineProvider.class).stream().map(ServiceLoader.Provider::type))
        .contains(DockerEngineProvider.class);
    assertThat(provider.id()).isEqualTo("docker");
    assertThat(provider.priority()).isEqualTo(10);
  }

  @Test
  void defaultEndpointIsTheDockerSocket() {
    assertThat(DockerEngineProvider.endpoint(Map.of()).toString()).isEqualTo("unix:///var/run/docker.sock");
    assertThat(DockerEngineProvider.endpoint(Map.of("DOCKER_HOST", "tcp://h:2375")).toString())
        .isEqualTo("tcp://h:2375");
  }

  @Test
  void missingSocketIsReportedOnOneLineWithEndpointAndSuggestion(@TempDir Path dir) {
    String host = "unix://" + dir.resolve("no.sock");
    assertThatThrownBy(() -> provider.open(Map.of("DOCKER_HOST", host)))
        .isInstanceOfSatisfying(
            EngineUnavailableException.class,
            e -> {
              assertThat(e.getMessage()).startsWith("cannot connect to the Docker engine at " + host + ": ");
              assertThat(e.getMessage()).doesNotContain("\n");
              assertThat(e.reason()).isEqualTo(FailureReason.ENGINE_UNAVAILABLE);
              assertThat(e.suggestion()).get().asString().contains("DOCKER_HOST").contains("Podman");
            });
  }

  @Test
  void refusedTcpEndpointFailsFast() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> provider.open(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1")))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("tcp://127.0.0.1:1");
    assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
  }

  @Test
  void malformedHostIsUnavailableNotACrash() {
    assertThatThrownBy(() -> provider.open(Map.of("DOCKER_HOST", "bogus://x")))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("bogus://x");
  }

  @Test
  void aPreparedOpenReportsTheSameFailureAsAPlainOne(@TempDir Path dir) {
    String host = "unix://" + dir.resolve("no.sock");
    provider.prepare(Map.of("DOCKER_HOST", host));
    assertThatThrownBy(() -> provider.open(Map.of("DOCKER_HOST", host)))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessage("cannot connect to the Docker engine at " + host + ": No such file or directory");
  }

  @Test
  void openWithAnotherEnvironmentThanPreparedUsesItsOwn(@TempDir Path dir) {
    String prepared = "unix://" + dir.resolve("prepared.sock");
    String asked = "unix://" + dir.resolve("asked.sock");
    provider.prepare(Map.of("DOCKER_HOST", prepared));
    assertThatThrownBy(() -> provider.open(Map.of("DOCKER_HOST", asked)))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining(asked)
        .hasMessageNotContaining(prepared);
  }

  @Test
  void unixSocketOfAHost() {
    assertThat(DockerEngineProvider.unixSocket("unix:///var/run/docker.sock")).contains(Path.of("/var/run/docker.sock"));
    assertThat(DockerEngineProvider.unixSocket("tcp://h:2375")).isEmpty();
    assertThat(DockerEngineProvider.unixSocket("unix://")).isEmpty();
    assertThat(DockerEngineProvider.unixSocket("not a uri")).isEmpty();
  }
}
