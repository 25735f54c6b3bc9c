package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.FailureReason;
import io.s2i.engine.EngineException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void splitsTagAtLastColonAfterLastSlash() throws Exception {
    assertThat(ImageReference.of("registry:5000/ns/app:1.0"))
        .isEqualTo(new ImageReference("registry:5000/ns/app", Optional.of("1.0")));
  }

  @Test
  void registryPortIsNotATag() throws Exception {
    ImageReference ref = ImageReference.of("registry:5000/ns/app");
    assertThat(ref).isEqualTo(new ImageReference("registry:5000/ns/app", Optional.empty()));
    assertThat(ref.tagOrLatest()).isEqualTo("latest");
  }

  @Test
  void plainNameAndTag() throws Exception {
    assertThat(ImageReference.of("app:v2")).isEqualTo(new ImageReference("app", Optional.of("v2")));
    assertThat(ImageReference.of("app")).isEqualTo(new ImageReference("app", Optional.empty()));
  }

  @Test
  void digestFollowsTheAtSign() throws Exception {
    assertThat(ImageReference.of("quay.io/x/app@" + DIGEST))
        .isEqualTo(new ImageReference("quay.io/x/app", Optional.of(DIGEST)));
  }

  @Test
  void aBadReferenceIsAnInvalidRequest() {
    assertThatThrownBy(() -> ImageReference.of("Bad/Name"))
        .isInstanceOfSatisfying(EngineException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_REQUEST))
        .hasMessageContaining("invalid reference format");
  }
}
