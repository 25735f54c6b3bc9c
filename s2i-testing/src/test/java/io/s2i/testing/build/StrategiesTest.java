package io.s2i.testing.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildEvent;
import io.s2i.api.EnvVar;
import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.IncrementalSpec;
import io.s2i.api.OutputOptions;
import io.s2i.api.PathMapping;
import io.s2i.api.PullPolicy;
import io.s2i.api.RuntimeImageSpec;
import io.s2i.api.S2iException;
import io.s2i.testing.engine.FakeBuilders;
import io.s2i.testing.engine.FakeImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The strategies other than the plain source build: layered fallbacks, ONBUILD, runtime image. */
class StrategiesTest extends FakeBuildTestBase {

  @Test
  void builderWithoutShellGetsItsInputsCopiedInAndAssembleRunDirectly() throws Exception {
    engine.add("nosh:1", FakeBuilders.standard().without("/bin/sh").program(FakeBuilders.SCRIPTS + "/assemble", p -> {
      p.out("assembling without a shell");
      p.writeFile(APP + "/hello.txt", p.readFile("/tmp/src/hello.txt").toUpperCase());
      return 0;
    }));
    s2i().build(request(source(Map.of("hello.txt", "hi\n")), "nosh:1", "app:1").build());

    assertThat(logs(BuildEvent.Level.INFO)).contains(
        "Image is missing basic requirements (the builder image has no /bin/sh), layered build will be performed");
    assertThat(file("app:1", APP + "/hello.txt")).isEqualTo("HI\n");
    assertThat(output()).contains("assembling without a shell");
    // The engine unpacked the inputs, owned by the assemble user; nothing can delete them after.
    FakeImage out = image("app:1");
    assertThat(out.files().node("/tmp/src/hello.txt").orElseThrow().uid()).isEqualTo(1001);
    assertThat(engine.createdSpecs()).last().satisfies(spec -> {
      assertThat(spec.entrypoint()).containsExactly(FakeBuilders.SCRIPTS + "/assemble");
      assertThat(spec.openStdin()).isFalse();
    });
    assertThat(out.labels()).containsEntry("io.openshift.s2i.build.image", "docker.io/library/nosh:1");
  }

  @Test
  void builderWithoutTarFallsBackTheSameWay() throws Exception {
    engine.add("notar:1", FakeBuilders.standard().without("/bin/tar"));
    s2i().build(request(source(Map.of("hello.txt", "hi\n")), "notar:1", "app:1").build());
    assertThat(logs(BuildEvent.Level.INFO)).contains(
        "Image is missing basic requirements (the builder image has no tar), layered build will be performed");
    assertThat(file("app:1", APP + "/hello.txt")).isEqualTo("hi\n");
    assertThat(engine.createdSpecs()).hasSize(2);
  }

  @Test
  void onBuildBuilderRunsItsTriggersOnTheSource() throws Exception {
    engine.add("onbuild:1", FakeImage.base()
        .workingDir("/opt/app")
        .onBuild("COPY . /opt/app/")
        .onBuild("RUN echo \"built from $PWD\" > /opt/app/built.txt"));
    Path src = source(Map.of("hello.txt", "hi\n", "run*", "#!/bin/sh\nexec cat hello.txt\n"));
    var result = s2i().build(request(src, "onbuild:1", "app:1")
        .env(List.of(new EnvVar("GREETING", "Hi"))).build());

    FakeImage out = image("app:1");
    assertThat(result.imageId()).isEqualTo(out.id());
    assertThat(out.files().readString("/opt/app/hello.txt")).contains("hi\n");
    // Triggers run right after FROM, in the builder's working directory (ENV lines come later).
    assertThat(out.files().readString("/opt/app/built.txt")).contains("built from /opt/app\n");
    assertThat(out.entrypoint()).containsExactly("./run");
    assertThat(out.onBuild()).isEmpty();
    assertThat(out.env()).contains("GREETING=Hi");
    assertThat(output()).anyMatch(l -> l.startsWith("Step 1/"));
    assertThat(engine.liveContainers()).isEmpty();
  }

  @Test
  void onBuildBuilderRefusesABuildOnlyVariableItsDockerfileWouldKeep() throws Exception {
    engine.add("onbuild:1", FakeImage.base().workingDir("/opt/app").onBuild("COPY . /opt/app/"));
    Path src = source(Map.of("hello.txt", "hi\n", "run*", "#!/bin/sh\nexec cat hello.txt\n"));
    var request = request(src, "onbuild:1", "app:1").env(List.of(EnvVar.buildOnly("TOKEN", "s3cr3t"))).build();
    S2iException e = failure(() -> s2i().build(request));
    assertThat(e.reason()).isEqualTo(FailureReason.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("TOKEN", "ONBUILD").doesNotContain("s3cr3t");
    assertThat(engine.image("app:1")).isEmpty();
  }

  @Test
  void onBuildSourceWithoutAnEntrypointIsRefused() throws Exception {
    engine.add("onbuild:1", FakeImage.base().onBuild("COPY . /opt/app/"));
    var request = request(source(Map.of("hello.txt", "hi\n")), "onbuild:1", "app:1").build();
    S2iException e = failure(() -> s2i().build(request));
    assertThat(e.reason()).isEqualTo(FailureReason.INVALID_REQUEST);
    assertThat(e.getMessage()).isEqualTo("no valid entrypoint specified");
  }

  @Test
  void runtimeImageGetsTheArtifactsAndRunsAssembleRuntime() throws Exception {
    engine.add("runtime:1", FakeBuilders.runtime());
    var request = request(source(Map.of("hello.txt", "hi\n")), BUILDER, "app:1")
        .runtime(new RuntimeImageSpec(ImageRef.parse("runtime:1"), PullPolicy.NEVER, List.of(), Optional.empty()))
        .build();
    s2i().build(request);

    FakeImage out = image("app:1");
    assertThat(out.files().readString("/opt/runtime/hello.txt")).contains("hi\n");
    assertThat(out.files().readString("/opt/runtime/assembled")).contains("runtime\n");
    assertThat(out.files().exists(APP + "/hello.txt")).as("the builder's files stay in the builder").isFalse();
    assertThat(out.cmd()).containsExactly(FakeBuilders.SCRIPTS + "/run");
    assertThat(out.user()).isEqualTo("1002");
    assertThat(output()).contains("---> assemble-runtime in /opt/runtime");
    assertThat(engine.untaggedImages()).as("no builder-state image for a clean build").isEmpty();
  }

  @Test
  void runtimeArtifactsMayBeNamedAndGoWhereTheyAreTold() throws Exception {
    engine.add("runtime:1", FakeBuilders.runtime());
    var request = request(source(Map.of("hello.txt", "hi\n", "lib/x.jar", "jar\n")), BUILDER, "app:1")
        .runtime(new RuntimeImageSpec(ImageRef.parse("runtime:1"), PullPolicy.NEVER,
            PathMapping.parseList(APP + "/hello.txt:.;" + APP + "/lib:deps"), Optional.of("0")))
        .build();
    s2i().build(request);
    assertThat(file("app:1", "/opt/runtime/deps/lib/x.jar")).isEqualTo("jar\n");
    assertThat(engine.createdSpecs()).last().satisfies(spec -> assertThat(spec.user()).isEqualTo("0"));
  }

  @Test
  void incrementalExtendedBuildKeepsTheBuilderStateAsAnImageNamedOnTheOutput() throws Exception {
    engine.add("runtime:1", FakeBuilders.runtime());
    Path src = source(Map.of("hello.txt", "hi\n"));
    var request = request(src, BUILDER, "app:1")
        .runtime(new RuntimeImageSpec(ImageRef.parse("runtime:1"), PullPolicy.NEVER, List.of(), Optional.empty()))
        .incremental(new IncrementalSpec(Optional.empty(), PullPolicy.NEVER, true))
        .outputOptions(new OutputOptions(false, false))
        .build();
    s2i().build(request);
    String state = image("app:1").labels().get("io.s2i.build.artifacts-image");
    assertThat(engine.image(state)).isPresent();
    events.clear();

    s2i().build(request);
    assertThat(output()).contains("---> Restoring artifacts");
    String next = image("app:1").labels().get("io.s2i.build.artifacts-image");
    assertThat(image(next).files().readString(APP + "/cache/builds")).contains("built\nbuilt\n");
    assertThat(engine.image(state)).as("the old state image goes with the old output").isEmpty();
    assertThat(engine.untaggedImages()).containsExactly(next);
  }

  @Test
  void minimalImageHelperKeepsOnlyTheNamedTools() {
    FakeImage img = engine.add("min:1", FakeImage.base().onlyTools(Set.of("/bin/sh")));
    assertThat(img.files().exists("/bin/sh")).isTrue();
    assertThat(img.files().exists("/bin/tar")).isFalse();
  }
}
