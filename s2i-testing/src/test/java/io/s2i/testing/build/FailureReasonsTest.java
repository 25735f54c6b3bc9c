package io.s2i.testing.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.S2i;
import io.s2i.api.AllowedUids;
import io.s2i.api.BuildRequest;
import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.InvalidBuildRequestException;
import io.s2i.api.OutputTarget;
import io.s2i.api.PullPolicy;
import io.s2i.api.RunOptions;
import io.s2i.api.S2iException;
import io.s2i.api.SourceSpec;
import io.s2i.engine.RegistryException;
import io.s2i.testing.engine.FakeBuilders;
import io.s2i.testing.engine.FakeEngine.Operation;
import io.s2i.testing.engine.FakeImage;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each way a build fails gives its own {@link FailureReason} (which fixes the CLI's exit code), a
 * one-line message naming what failed, and leaves no container or temporary directory (checked
 * after every test).
 */
class FailureReasonsTest extends FakeBuildTestBase {

  private BuildRequest plain(String builder) throws Exception {
    return request(source(Map.of("hello.txt", "hi\n")), builder, "app:1").build();
  }

  @Test
  void invalidRequest() {
    InvalidBuildRequestException e = (InvalidBuildRequestException) failure(() ->
        BuildRequest.builder(SourceSpec.local("."), ImageRef.parse(BUILDER)).callbackUrl(URI.create("ftp://x")).build());
    assertThat(e.reason()).isEqualTo(FailureReason.INVALID_REQUEST);
    assertThat(e.violations()).singleElement().asString().startsWith("callbackUrl must be");
  }

  @Test
  void builderNotPresentUnderPolicyNever() throws Exception {
    BuildRequest request = plain("localhost/fake/missing:1");
    S2iException e = failure(() -> s2i().build(request));
    assertThat(e.reason()).isEqualTo(FailureReason.PULL_BUILDER_IMAGE_FAILED);
    assertThat(e.getMessage()).contains("localhost/fake/missing:1").doesNotContain("\n");
    assertThat(engine.pulls()).isEmpty();
  }

  @Test
  void builderThatNoRegistryHas() throws Exception {
    BuildRequest r = request(source(Map.of("a", "b")), "registry.example/none:1", "app:1")
        .builderPull(PullPolicy.IF_NOT_PRESENT).build();
    S2iException e = failure(() -> s2i().build(r));
    assertThat(e.reason()).isEqualTo(FailureReason.PULL_BUILDER_IMAGE_FAILED);
    assertThat(engine.pulls()).containsExactly("registry.example/none:1");
  }

  @Test
  void registryRefusingTheCredentials() throws Exception {
    engine.fail(Operation.PULL, ref -> true,
        () -> new RegistryException("registry.example refused the credentials (unauthorized)", "log in", false, null));
    BuildRequest r = request(source(Map.of("a", "b")), "registry.example/private:1", "app:1")
        .builderPull(PullPolicy.ALWAYS).build();
    S2iException e = failure(() -> s2i().build(r));
    assertThat(e.reason()).isEqualTo(FailureReason.REGISTRY_FAILED);
  }

  @Test
  void sourceThatDoesNotExist() throws Exception {
    BuildRequest r = BuildRequest.builder(SourceSpec.local(tmp.resolve("nope").toString()), ImageRef.parse(BUILDER))
        .builderPull(PullPolicy.NEVER).build();
    S2iException e = failure(() -> s2i().build(r));
    assertThat(e.reason()).isEqualTo(FailureReason.FETCH_SOURCE_FAILED);
    assertThat(e.getMessage()).contains("does not exist");
    assertThat(e.suggestion()).get().asString().contains("source.location");
  }

  @Test
  void noAssembleScriptAnywhere() throws Exception {
    engine.add("bare:1", FakeImage.base().user("1001"));
    BuildRequest request = plain("bare:1");
    S2iException e = failure(() -> s2i().build(request));
    assertThat(e.reason()).isEqualTo(FailureReason.INSTALL_SCRIPTS_FAILED);
    assertThat(engine.createdSpecs()).isEmpty();
  }

  @Test
  void assembleThatFails() throws Exception {
    engine.add("failing:1", FakeBuilders.standard().script(FakeBuilders.SCRIPTS + "/assemble",
        "echo \"Failing on purpose with exit code 7\" >&2\nexit 7"));
    BuildRequest request = plain("failing:1");
    S2iException e = failure(() -> s2i().build(request));
    assertThat(e.reason()).isEqualTo(FailureReason.ASSEMBLE_FAILED);
    assertThat(e.getMessage()).isEqualTo("assemble failed with exit status 7 in failing:1");
    assertThat(output()).contains("Failing on purpose with exit code 7");
    assertThat(engine.image("app:1")).isEmpty();
  }

  @Test
  void imageMetadataThatIsNotJson() throws Exception {
    engine.add("meta:1", FakeBuilders.standard().script(FakeBuilders.SCRIPTS + "/assemble",
        "mkdir -p /tmp/.s2i\necho 'labels: no' > /tmp/.s2i/image_metadata.json"));
    BuildRequest request = plain("meta:1");
    S2iException e = failure(() -> s2i().build(request));
    assertThat(e.reason()).isEqualTo(FailureReason.ASSEMBLE_FAILED);
    assertThat(e.getMessage()).contains("image_metadata.json");
  }

  @Test
  void assembleUserOutsideTheAllowedUids() throws Exception {
    BuildRequest r = request(source(Map.of("a", "b")), BUILDER, "app:1")
        .run(new RunOptions(Optional.of("0"), AllowedUids.parse("1000-"), Optional.empty(), List.of(), List.of(),
            List.of(), List.of()))
        .build();
    S2iException e = failure(() -> s2i().build(r));
    assertThat(e.reason()).isEqualTo(FailureReason.ASSEMBLE_USER_FORBIDDEN);
    assertThat(e.suggestion()).get().asString().contains("run.assembleUser").contains("run.allowedUids");
    assertThat(engine.createdSpecs()).isEmpty();
  }

  @Test
  void commitRefusedByTheEngine() throws Exception {
    engine.fail(Operation.COMMIT, "no space left on device");
    BuildRequest request = plain(BUILDER);
    S2iException e = failure(() -> s2i().build(request));
    assertThat(e.reason()).isEqualTo(FailureReason.COMMIT_FAILED);
    assertThat(e.getMessage()).isEqualTo("committing the image failed: no space left on device");
  }

  @Test
  void pushRefusedByTheRegistry() throws Exception {
    engine.fail(Operation.PUSH, ref -> true,
        () -> new RegistryException("127.0.0.1:5000 refused the push (denied)", "check your rights", false, null));
    BuildRequest r = request(source(Map.of("a", "b")), BUILDER, "app:1")
        .output(new OutputTarget.RegistryImage(ImageRef.parse("127.0.0.1:5000/team/app:1"))).build();
    S2iException e = failure(() -> s2i().build(r));
    assertThat(e.reason()).isEqualTo(FailureReason.REGISTRY_FAILED);
    assertThat(engine.pushed()).isEmpty();
  }

  @Test
  void pushedImageGetsItsDigest() throws Exception {
    BuildRequest r = request(source(Map.of("a", "b")), BUILDER, "app:1")
        .output(new OutputTarget.RegistryImage(ImageRef.parse("127.0.0.1:5000/team/app:1"))).build();
    var result = s2i().build(r);
    assertThat(engine.pushed()).containsEntry("127.0.0.1:5000/team/app:1", result.imageId());
    assertThat(result.digest()).get().asString().startsWith("sha256:");
  }

  @Test
  void engineFailingToCreateAContainer() throws Exception {
    engine.fail(Operation.CREATE, "the daemon is shutting down");
    BuildRequest request = plain(BUILDER);
    S2iException e = failure(() -> s2i().build(request));
    // An engine's own failure has its own reason (exit 12), not the unexpected one.
    assertThat(e.reason()).isEqualTo(FailureReason.ENGINE_FAILED);
    assertThat(e.getMessage()).contains("the daemon is shutting down");
  }

  @Test
  void noEngineGiven() throws Exception {
    BuildRequest r = plain(BUILDER);
    S2iException e = failure(() -> S2i.builder().build().build(r));
    assertThat(e.reason()).isEqualTo(FailureReason.ENGINE_UNAVAILABLE);
  }

  @Test
  void failuresLeaveNoImageBehind() throws Exception {
    engine.fail(Operation.COMMIT, "refused");
    int before = engine.tags().size() + engine.untaggedImages().size();
    BuildRequest request = plain(BUILDER);
    failure(() -> s2i().build(request));
    assertThat(engine.tags().size() + engine.untaggedImages().size()).isEqualTo(before);
  }
}
