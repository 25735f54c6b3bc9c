package io.s2i.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.ImageReference;
import org.junit.jupiter.api.Test;

class JibReferencesTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void dockerHubNamesGetTheRegistryHostAndLibrary() {
    assertThat(text(JibReferences.of("foo"))).isEqualTo("registry-1.docker.io library/foo latest");
    // jib's own parser reads this one as the repository "foo"; Docker pulls library/foo.
    assertThat(text(JibReferences.of("docker.io/foo:2"))).isEqualTo("registry-1.docker.io library/foo 2");
    assertThat(text(JibReferences.of("docker://team/app"))).isEqualTo("registry-1.docker.io team/app latest");
  }

  @Test
  void otherRegistriesTagsAndDigestsAreKept() {
    assertThat(text(JibReferences.of("127.0.0.1:5000/a/b:c"))).isEqualTo("127.0.0.1:5000 a/b c");
    assertThat(text(JibReferences.of("localhost/x"))).isEqualTo("localhost x latest");
    ImageReference pinned = JibReferences.of("quay.io/a/b@" + DIGEST);
    assertThat(pinned.getDigest()).contains(DIGEST);
    assertThat(pinned.getQualifier()).isEqualTo(DIGEST);
  }

  @Test
  void badReferencesAreRefusedByS2isParser() {
    assertThatThrownBy(() -> JibReferences.of("Upper/Case")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid reference format");
  }

  private static String text(ImageReference r) {
    return r.getRegistry() + " " + r.getRepository() + " " + r.getQualifier();
  }
}
