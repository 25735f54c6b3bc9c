package io.s2i.testing.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildEvent;
import io.s2i.api.BuildResult;
import io.s2i.api.EnvVar;
import io.s2i.api.OutputOptions;
import io.s2i.testing.engine.FakeBuilders;
import io.s2i.testing.engine.FakeImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's normal flow: the sources go into a builder container on stdin, assemble runs, the container is committed. */
class SourceBuildTest extends FakeBuildTestBase {

  @Test
  void sourcesAreAssembledAndCommittedWithTheRunScriptAsCommand() throws Exception {
    Path src = source(Map.of("hello.txt", "hello from the source\n"));
    BuildResult result = s2i().build(request(src, BUILDER, "app:1").build());

    FakeImage out = image("app:1");
    assertThat(result.imageId()).isEqualTo(out.id());
    assertThat(out.files().readString(APP + "/hello.txt")).contains("hello from the source\n");
    assertThat(out.cmd()).containsExactly(FakeBuilders.SCRIPTS + "/run");
    assertThat(out.user()).isEqualTo("1001");
    assertThat(out.labels())
        .containsEntry("io.openshift.s2i.build.image", "localhost/fake/builder:1")
        .containsEntry("io.openshift.s2i.build.source-location", src.toString())
        .containsEntry("io.k8s.description", "Fake builder (s2i-testing)")
        .containsKey("io.s2i.build.inputs-digest");
    assertThat(result.labels()).isEqualTo(out.labels());
    // The inputs were unpacked by the container's own tar on stdin and removed before the commit.
    assertThat(out.files().exists("/tmp/src")).isFalse();
    assertThat(engine.createdSpecs()).singleElement().satisfies(spec -> {
      assertThat(spec.entrypoint()).containsExactly("/bin/sh", "-c");
      assertThat(spec.cmd().get(0)).startsWith("tar -C /tmp -xf - && " + FakeBuilders.SCRIPTS + "/assemble");
      assertThat(spec.openStdin()).isTrue();
      assertThat(spec.user()).isEqualTo("1001");
    });
    assertThat(output()).containsSubsequence("---> Installing application source", "---> Build complete");
    assertThat(steps()).contains("PullBuilderImage", "FetchSource", "InstallScripts", "Assemble",
        "CommitContainer", "PublishImage");
    assertThat(result.steps()).extracting(BuildResult.StepTiming::step).contains("Assemble", "CommitContainer");
    assertThat(events).filteredOn(e -> e instanceof BuildEvent.StepFinished f && !f.succeeded()).isEmpty();
  }

  @Test
  void keepInputsLeavesTheSourcesInTheImage() throws Exception {
    Path src = source(Map.of("hello.txt", "hi\n"));
    s2i().build(request(src, BUILDER, "app:1").outputOptions(new OutputOptions(true, true)).build());
    assertThat(file("app:1", "/tmp/src/hello.txt")).isEqualTo("hi\n");
  }

  @Test
  void scriptsFromTheSourceReplaceTheImagesAndEnvironmentReachesThem() throws Exception {
    Path src = source(Map.of(
        "hello.txt", "hi\n",
        ".s2i/bin/assemble", "#!/bin/sh\necho \"assemble from the source, GREETING=$GREETING FROM_FILE=$FROM_FILE\"\n",
        ".s2i/environment", "FROM_FILE=yes\n"));
    s2i().build(request(src, BUILDER, "app:1").env(List.of(new EnvVar("GREETING", "Hi there"))).build());

    assertThat(output()).contains("assemble from the source, GREETING=Hi there FROM_FILE=yes");
    assertThat(output()).doesNotContain("---> Installing application source");
    FakeImage out = image("app:1");
    assertThat(out.env()).contains("GREETING=Hi there", "FROM_FILE=yes");
    // An uploaded run script stays, as the image's command; the image's own is used here.
    assertThat(out.cmd()).containsExactly(FakeBuilders.SCRIPTS + "/run");
  }

  @Test
  void aBuildOnlyVariableReachesAssembleButNoImageNorItsLabels() throws Exception {
    Path src = source(Map.of(
        "hello.txt", "hi\n",
        ".s2i/bin/assemble", "#!/bin/sh\n[ -n \"$INDEX_TOKEN\" ] && echo \"assemble got the token\"\n"));
    s2i().build(request(src, BUILDER, "app:1")
        .env(List.of(new EnvVar("GREETING", "Hi"), EnvVar.buildOnly("INDEX_TOKEN", "s3cr3t-value"))).build());

    assertThat(output()).contains("assemble got the token").doesNotContain("s3cr3t-value");
    FakeImage out = image("app:1");
    // Named with no value: a commit keeps the container's variables its spec leaves out.
    assertThat(out.env()).contains("GREETING=Hi", "INDEX_TOKEN=").noneMatch(e -> e.contains("s3cr3t"));
    assertThat(out.labels().values()).noneMatch(v -> v.contains("s3cr3t"));
    assertThat(engine.createdSpecs()).singleElement()
        .satisfies(spec -> assertThat(spec.env()).contains("INDEX_TOKEN=s3cr3t-value"));

    // Another value of it is not another input: the digest knows the variable by name only.
    String digest = out.labels().get("io.s2i.build.inputs-digest");
    s2i().build(request(src, BUILDER, "app:1")
        .env(List.of(new EnvVar("GREETING", "Hi"), EnvVar.buildOnly("INDEX_TOKEN", "other"))).build());
    assertThat(image("app:1").labels()).containsEntry("io.s2i.build.inputs-digest", digest);
  }

  @Test
  void imageMetadataWrittenByAssembleBecomesLabels() throws Exception {
    engine.add("meta:1", FakeBuilders.standard().script(FakeBuilders.SCRIPTS + "/assemble",
        "mkdir -p /tmp/.s2i\necho '{\"labels\":[{\"team\":\"fake\"}]}' > /tmp/.s2i/image_metadata.json"));
    s2i().build(request(source(Map.of("a", "b")), "meta:1", "app:1").build());
    assertThat(image("app:1").labels()).containsEntry("team", "fake");
  }

  @Test
  void anUntaggedBuildLeavesAnUntaggedImage() throws Exception {
    Path src = source(Map.of("hello.txt", "hi\n"));
    BuildResult result = s2i().build(io.s2i.api.BuildRequest.builder(io.s2i.api.SourceSpec.local(src.toString()),
        io.s2i.api.ImageRef.parse(BUILDER)).builderPull(io.s2i.api.PullPolicy.NEVER).build());
    assertThat(result.tag()).isEmpty();
    assertThat(engine.untaggedImages()).containsExactly(result.imageId());
    assertThat(result.labels()).doesNotContainKey("io.s2i.build.inputs-digest");
  }

  @Test
  void aBuilderMissingLocallyIsPulledFromItsRegistry() throws Exception {
    engine.addRemote("registry.example/fake/builder:2", FakeBuilders.standard());
    Path src = source(Map.of("hello.txt", "pulled\n"));
    s2i().build(request(src, "registry.example/fake/builder:2", "app:1")
        .builderPull(io.s2i.api.PullPolicy.IF_NOT_PRESENT).build());
    assertThat(engine.pulls()).containsExactly("registry.example/fake/builder:2");
    assertThat(file("app:1", APP + "/hello.txt")).isEqualTo("pulled\n");
    assertThat(events).anyMatch(e -> e instanceof BuildEvent.Transfer t && t.done());
  }
}
