package io.s2i.testing.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildEvent;
import io.s2i.api.BuildResult;
import io.s2i.api.EnvVar;
import io.s2i.api.OutputOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Unchanged rebuilds: a tagged output records a digest of its inputs, and a build whose inputs
 * match the image carrying the tag keeps that image without running a container.
 */
class ReuseTest extends FakeBuildTestBase {

  @Test
  void sameInputsKeepTheImageAndRunNothing() throws Exception {
    Path src = source(Map.of("hello.txt", "hi\n"));
    BuildResult first = s2i().build(request(src, BUILDER, "app:1").build());
    int containers = engine.createdSpecs().size();

    BuildResult again = s2i().build(request(src, BUILDER, "app:1").build());

    assertThat(again.imageId()).isEqualTo(first.imageId());
    assertThat(engine.createdSpecs()).hasSize(containers);
    assertThat(logs(BuildEvent.Level.INFO)).anyMatch(m -> m.startsWith("Image app:1 is up to date")
        && m.contains("outputOptions.reuseUnchanged"));
    assertThat(again.labels().get("io.s2i.build.inputs-digest"))
        .isEqualTo(first.labels().get("io.s2i.build.inputs-digest")).isNotBlank();
  }

  @Test
  void aChangedFileBuildsAgain() throws Exception {
    Path src = source(Map.of("hello.txt", "hi\n"));
    BuildResult first = s2i().build(request(src, BUILDER, "app:1").build());
    Files.writeString(src.resolve("hello.txt"), "changed\n");
    BuildResult second = s2i().build(request(src, BUILDER, "app:1").build());
    assertThat(second.imageId()).isNotEqualTo(first.imageId());
    assertThat(file("app:1", APP + "/hello.txt")).isEqualTo("changed\n");
    assertThat(second.labels().get("io.s2i.build.inputs-digest"))
        .isNotEqualTo(first.labels().get("io.s2i.build.inputs-digest"));
  }

  @Test
  void otherEnvironmentBuildsAgain() throws Exception {
    Path src = source(Map.of("hello.txt", "hi\n"));
    BuildResult first = s2i().build(request(src, BUILDER, "app:1").build());
    BuildResult second = s2i().build(request(src, BUILDER, "app:1").env(List.of(new EnvVar("A", "1"))).build());
    assertThat(second.imageId()).isNotEqualTo(first.imageId());
  }

  @Test
  void aChangedBuilderBuildsAgain() throws Exception {
    Path src = source(Map.of("hello.txt", "hi\n"));
    BuildResult first = s2i().build(request(src, BUILDER, "app:1").build());
    engine.add(BUILDER, image(BUILDER).toBuilder().label("patched", "yes"));
    BuildResult second = s2i().build(request(src, BUILDER, "app:1").build());
    assertThat(second.imageId()).isNotEqualTo(first.imageId());
    assertThat(second.labels()).containsEntry("patched", "yes");
  }

  @Test
  void reuseTurnedOffBuildsAgain() throws Exception {
    Path src = source(Map.of("hello.txt", "hi\n"));
    BuildResult first = s2i().build(request(src, BUILDER, "app:1").build());
    BuildResult second = s2i().build(request(src, BUILDER, "app:1").outputOptions(new OutputOptions(false, false)).build());
    assertThat(second.imageId()).isNotEqualTo(first.imageId());
  }
}
