package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  @Test
  void splitsTagAtLastColonAfterLastSlash() {
    assertThat(ImageReference.parse("registry:5000/ns/app:1.0"))
        .isEqualTo(new ImageReference("registry:5000/ns/app", Optional.of("1.0")));
  }

  @Test
  void registryPortIsNotATag() {
    ImageReference ref = ImageReference.parse("registry:5000/ns/app");
    assertThat(ref).isEqualTo(new ImageReference("registry:5000/ns/app", Optional.empty()));
    assertThat(ref.tagOrLatest()).isEqualTo("latest");
  }

  @Test
  void plainNameAndTag() {
    assertThat(ImageReference.parse("app:v2"))
        .isEqualTo(new ImageReference("app", Optional.of("v2")));
    assertThat(ImageReference.parse("app")).isEqualTo(new ImageReference("app", Optional.empty()));
  }

  @Test
  void digestFollowsTheAtSign() {
    assertThat(ImageReference.parse("quay.io/x/app@sha256:abcd"))
        .isEqualTo(new ImageReference("quay.io/x/app", Optional.of("sha256:abcd")));
  }
}
