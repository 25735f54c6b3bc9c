package io.s2i.testing.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.S2i;
import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult;
import io.s2i.api.DockerfileRequest;
import io.s2i.api.DockerfileResult;
import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.PullPolicy;
import io.s2i.api.RebuildRequest;
import io.s2i.api.S2iException;
import io.s2i.api.SourceSpec;
import io.s2i.api.UsageRequest;
import io.s2i.api.UsageResult;
import io.s2i.testing.engine.FakeBuilders;
import io.s2i.testing.engine.FakeImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** usage, rebuild and Dockerfile generation: one request in, one result out, the same events and errors. */
class EntryPointsTest extends FakeBuildTestBase {

  @Test
  void usageRunsTheUsageScriptAndCommitsNothing() throws Exception {
    int images = engine.tags().size() + engine.untaggedImages().size();
    UsageResult result = s2i().usage(UsageRequest.builder(ImageRef.parse(BUILDER)).builderPull(PullPolicy.NEVER).build());
    assertThat(result.output()).containsExactly("This is the fake builder. Give it a directory with hello.txt.");
    assertThat(result.builderImageId()).isEqualTo(image(BUILDER).id());
    assertThat(result.steps()).extracting(s -> s.step()).contains("PullBuilderImage", "Usage");
    assertThat(output()).containsExactly("This is the fake builder. Give it a directory with hello.txt.");
    assertThat(engine.tags().size() + engine.untaggedImages().size()).isEqualTo(images);
  }

  @Test
  void usageOfABuilderThatNamesNoScripts() throws Exception {
    engine.add("nousage:1", FakeImage.base());
    UsageRequest request = UsageRequest.builder(ImageRef.parse("nousage:1")).builderPull(PullPolicy.NEVER).build();
    S2iException e = failure(() -> s2i().usage(request));
    assertThat(e.reason()).isEqualTo(FailureReason.INSTALL_SCRIPTS_FAILED);
    assertThat(e.getMessage()).contains("usage");
  }

  @Test
  void usageScriptMissingWhereTheLabelSaysRunsAndFails() throws Exception {
    engine.add("nousage:1", FakeBuilders.standard().without(FakeBuilders.SCRIPTS + "/usage"));
    UsageRequest request = UsageRequest.builder(ImageRef.parse("nousage:1")).builderPull(PullPolicy.NEVER).build();
    S2iException e = failure(() -> s2i().usage(request));
    assertThat(e.reason()).isEqualTo(FailureReason.ASSEMBLE_FAILED);
    assertThat(e.getMessage()).contains("status 127");
    assertThat(output()).anyMatch(l -> l.endsWith(FakeBuilders.SCRIPTS + "/usage: not found"));
  }

  @Test
  void rebuildBuildsTheRecordedSourceWithTheRecordedBuilder() throws Exception {
    Path src = source(Map.of("hello.txt", "hi\n"));
    s2i().build(request(src, BUILDER, "app:1").displayName("Hello").build());
    BuildResult again = s2i().rebuild(RebuildRequest.builder(ImageRef.parse("app:1"))
        .newTag(ImageRef.parse("app:2")).pull(PullPolicy.NEVER).build());
    FakeImage out = image("app:2");
    assertThat(again.imageId()).isEqualTo(out.id());
    assertThat(out.files().readString(APP + "/hello.txt")).contains("hi\n");
    assertThat(out.labels()).containsEntry("io.k8s.display-name", "Hello")
        .containsEntry("io.openshift.s2i.build.source-location", src.toString());
    assertThat(engine.pulls()).isEmpty();
  }

  @Test
  void rebuildOfAnImageS2iDidNotBuild() throws Exception {
    RebuildRequest request = RebuildRequest.builder(ImageRef.parse(BUILDER)).pull(PullPolicy.NEVER).build();
    S2iException e = failure(() -> s2i().rebuild(request));
    assertThat(e.reason()).isEqualTo(FailureReason.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("required label").contains("build.image");
  }

  @Test
  void dockerfileGenerationReadsTheBuilderLabelsFromTheEngine() throws Exception {
    Path src = source(Map.of("hello.txt", "hi\n"));
    Path out = tmp.resolve("out/");
    BuildRequest build = BuildRequest.builder(SourceSpec.local(src.toString()), ImageRef.parse(BUILDER))
        .tag(ImageRef.parse("app:1")).build();
    DockerfileResult result = s2i().generateDockerfile(new DockerfileRequest(build, out + "/", true));
    assertThat(result.dockerfile()).isEqualTo(out.resolve("Dockerfile"));
    String dockerfile = Files.readString(result.dockerfile());
    assertThat(dockerfile).startsWith("FROM " + BUILDER).contains("USER 1001")
        .contains(FakeBuilders.SCRIPTS + "/assemble").contains(FakeBuilders.SCRIPTS + "/run");
    assertThat(out.resolve("upload/src/hello.txt")).hasContent("hi");
    assertThat(engine.createdSpecs()).isEmpty();
  }

  @Test
  void dockerfileGenerationNeedsNoEngine() throws Exception {
    BuildRequest build = BuildRequest.builder(SourceSpec.local("."), ImageRef.parse("some/builder")).build();
    DockerfileResult result = S2i.builder().events(events::add).build()
        .generateDockerfile(new DockerfileRequest(build, tmp.resolve("gen/Dockerfile").toString(), false));
    assertThat(Files.readString(result.dockerfile())).startsWith("FROM some/builder").contains("USER 1001");
    assertThat(result.context()).isEqualTo(tmp.resolve("gen"));
  }
}
