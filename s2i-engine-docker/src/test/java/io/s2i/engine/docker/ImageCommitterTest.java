package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.engine.CommitSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageCommitterTest {
  @Test
  void emptyEntrypointIsSentAsAnEmptyListNotOmitted() throws Exception {
    JsonNode body =
                ImageCommitter.body(
                    new CommitSpec(
                        Optional.empty(),
                        List.of("/usr/libexec/s2i/run"),
                        List.of(),
                        "1001",
                        List.of("A=1"),
                        Map.of("io.k8s.display-name", "app")));
    assertThat(body.get("Entrypoint").isArray()).isTrue();
    assertThat(body.get("Entrypoint")).isEmpty();
    assertThat(body.get("Cmd").get(0).asText()).isEqualTo("/usr/libexec/s2i/run");
    assertThat(body.get("User").asText()).isEqualTo("1001");
    assertThat(body.get("Env").get(0).asText()).isEqualTo("A=1");
    assertThat(body.get("Labels").get("io.k8s.display-name").asText()).isEqualTo("app");
  }
}
