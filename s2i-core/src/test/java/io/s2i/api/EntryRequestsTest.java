package io.s2i.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The requests of usage, rebuild and Dockerfile generation are valid by construction, like a build's. */
class EntryRequestsTest {
  private static final ImageRef BUILDER = ImageRef.parse("builder");

  @Test
  void usageRequestHasDefaultsAndRefusesWhatABuildRefuses() throws Exception {
    UsageRequest r = UsageRequest.builder(BUILDER).build();
    assertThat(r.builderPull()).isEqualTo(PullPolicy.IF_NOT_PRESENT);
    assertThat(r.scripts()).isEqualTo(ScriptsSpec.defaults());
    InvalidBuildRequestException e = catchInvalid(() -> UsageRequest.builder(null)
        .scripts(new ScriptsSpec(Optional.of("ftp://x"), Optional.empty(), Optional.empty())).build());
    assertThat(e.violations()).containsExactly(BuildRequest.NO_BUILDER,
        "scripts.scriptsUrl \"ftp://x\" has an unknown scheme: use image://, file://, http:// or https://");
    assertThatThrownBy(() -> new UsageRequest(null, null, null, null, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(BuildRequest.NO_BUILDER);
  }

  @Test
  void rebuildRequestChecksImageAndCallback() throws Exception {
    RebuildRequest r = RebuildRequest.builder(BUILDER).destination(" ").build();
    assertThat(r.destination()).isEmpty();
    assertThat(r.newTag()).isEmpty();
    InvalidBuildRequestException e = catchInvalid(() -> RebuildRequest.builder(null)
        .callbackUrl(URI.create("mailto:x@y")).build());
    assertThat(e.violations()).hasSize(2);
    assertThat(e.getMessage()).contains("image is missing").contains("callbackUrl");
    assertThat(e.reason()).isEqualTo(FailureReason.INVALID_REQUEST);
  }

  @Test
  void dockerfileRequestNeedsABuildAndAPath() throws Exception {
    BuildRequest build = BuildRequest.builder(SourceSpec.local("."), BUILDER).build();
    assertThat(new DockerfileRequest(build, "out/", true).dockerfilePath()).isEqualTo("out/");
    assertThatThrownBy(() -> new DockerfileRequest(null, " ", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("build is missing").hasMessageContaining("dockerfilePath is empty");
  }

  private interface Make {
    Object make() throws InvalidBuildRequestException;
  }

  private static InvalidBuildRequestException catchInvalid(Make make) {
    try {
      make.make();
    } catch (InvalidBuildRequestException e) {
      return e;
    }
    throw new AssertionError("expected InvalidBuildRequestException");
  }
}
