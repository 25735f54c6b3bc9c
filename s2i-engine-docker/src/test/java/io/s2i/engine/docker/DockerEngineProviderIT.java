package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.testing.engine.EngineAvailability;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Opening the engine against the real daemon: version negotiation and its override. */
class DockerEngineProviderIT {
  @Test
  void negotiatesTheLowerOfServerAndClientVersions() throws Exception {
    try (DockerEngine engine = (DockerEngine) EngineAvailability.openOrSkip("docker")) {
      ApiVersion server =
          ApiVersionProbe.probe(engine.connection().http()).orElseThrow();
      ApiVersion expected =
          server.compareTo(DockerEngineProvider.highestKnownByClient()) < 0
              ? server
              : DockerEngineProvider.highestKnownByClient();
      assertThat(engine.apiVersion()).isEqualTo(expected.toString());
      assertThat(engine.images().inspect("127.0.0.1:1/s2i/missing:latest")).isEmpty();
    }
  }

  @Test
  void dockerApiVersionFromTheEnvironmentWins() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("DOCKER_API_VERSION", "1.40");
    try (DockerEngine engine =
        (DockerEngine)
            EngineAvailability.openOrSkip("docker", () -> new DockerEngineProvider().open(env))) {
      assertThat(engine.apiVersion()).isEqualTo("1.40");
      // A request on the pinned version still works.
      assertThat(engine.images().inspect("127.0.0.1:1/s2i/missing:latest")).isEmpty();
    }
  }

  @Test
  void aPreparedEngineIsTheOneOpenedAndWorks() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    DockerEngineProvider provider = new DockerEngineProvider();
    provider.prepare(env);
    try (DockerEngine engine =
        (DockerEngine) EngineAvailability.openOrSkip("docker", () -> provider.open(env))) {
      ApiVersion server = ApiVersionProbe.probe(engine.connection().http()).orElseThrow();
      assertThat(engine.apiVersion()).isEqualTo(
          ApiVersion.negotiate(Optional.empty(), Optional.of(server), DockerEngineProvider.highestKnownByClient()).toString());
      assertThat(engine.images().inspect("127.0.0.1:1/s2i/missing:latest")).isEmpty();
    }
  }
}
