package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.engine.EngineException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerContainerRunnerTest {
  @Test
  void containerNameIsPrefixEightHexDigitsAndItsMaker() {
    String owner = io.s2i.internal.fs.ProcessOwner.current().token();
    assertThat(DockerContainerRunner.containerName("s2i_app")).matches("s2i_app_[0-9a-f]{8}_" + owner);
    assertThat(DockerContainerRunner.containerName("x")).isNotEqualTo(DockerContainerRunner.containerName("x"));
    assertThat(DockerContainerRunner.containerName("")).matches("s2i_[0-9a-f]{8}_s2io-.*");
    assertThat(io.s2i.internal.fs.ProcessOwner.find(DockerContainerRunner.containerName("x")))
        .contains(io.s2i.internal.fs.ProcessOwner.current());
  }

  @Test
  void capabilitiesAcceptCapPrefixAndAnyCase() throws Exception {
    assertThat(DockerContainerRunner.capabilities(List.of("KILL", "cap_mknod", "CAP_PERFMON", "all")))
        .containsExactly("KILL", "MKNOD", "PERFMON", "ALL");
    assertThatThrownBy(() -> DockerContainerRunner.capabilities(List.of("FLY")))
        .isInstanceOfSatisfying(EngineException.class,
            e -> assertThat(e.reason()).isEqualTo(io.s2i.api.FailureReason.INVALID_REQUEST))
        .hasMessageContaining("FLY");
  }

  @Test
  void createBodyCarriesTheSpecAndNoLogDriver() throws Exception {
    var body = DockerContainerRunner.body(new io.s2i.engine.ContainerSpec("img:1", "s2i", "1001", List.of("A=1"),
        List.of(), List.of("/bin/sh", "-c", "true"), java.util.Optional.of("/work"), true,
        java.util.Optional.of("host"), List.of("cap_kill"), List.of("/h:/c:ro"), List.of("db:127.0.0.1")));

    assertThat(body.get("Image").asText()).isEqualTo("img:1");
    assertThat(body.get("User").asText()).isEqualTo("1001");
    assertThat(body.has("Entrypoint")).isFalse(); // the image's own stays
    assertThat(body.get("Cmd")).hasSize(3);
    assertThat(body.get("WorkingDir").asText()).isEqualTo("/work");
    assertThat(body.get("OpenStdin").asBoolean()).isTrue();
    assertThat(body.get("StdinOnce").asBoolean()).isTrue();
    var host = body.get("HostConfig");
    assertThat(host.get("Binds").get(0).asText()).isEqualTo("/h:/c:ro");
    assertThat(host.get("CapDrop").get(0).asText()).isEqualTo("KILL");
    assertThat(host.get("ExtraHosts").get(0).asText()).isEqualTo("db:127.0.0.1");
    assertThat(host.get("NetworkMode").asText()).isEqualTo("host");
    assertThat(host.get("LogConfig").get("Type").asText()).isEqualTo("none");
    assertThat(host.get("ShmSize").asLong()).isEqualTo(64L * 1024 * 1024);
  }

  @Test
  void aBadBindIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> DockerContainerRunner.body(new io.s2i.engine.ContainerSpec("img", "s2i", "", List.of(),
        List.of(), List.of(), java.util.Optional.empty(), false, java.util.Optional.empty(), List.of(),
        List.of("relative"), List.of())))
        .isInstanceOf(EngineException.class).hasMessageContaining("invalid bind mount \"relative\"");
  }
}
