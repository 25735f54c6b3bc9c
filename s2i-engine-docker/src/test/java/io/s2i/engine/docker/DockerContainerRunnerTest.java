package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Capability;
import io.s2i.engine.EngineException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerContainerRunnerTest {
  @Test
  void containerNameIsPrefixAndEightHexDigits() {
    assertThat(DockerContainerRunner.containerName("s2i_app")).matches("s2i_app_[0-9a-f]{8}");
    assertThat(DockerContainerRunner.containerName("x")).isNotEqualTo(DockerContainerRunner.containerName("x"));
    assertThat(DockerContainerRunner.containerName("")).matches("s2i_[0-9a-f]{8}");
  }

  @Test
  void capabilitiesAcceptCapPrefixAndAnyCase() throws Exception {
    assertThat(DockerContainerRunner.capabilities(List.of("KILL", "cap_mknod")))
        .containsExactly(Capability.KILL, Capability.MKNOD);
    assertThatThrownBy(() -> DockerContainerRunner.capabilities(List.of("FLY")))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("FLY");
  }
}
