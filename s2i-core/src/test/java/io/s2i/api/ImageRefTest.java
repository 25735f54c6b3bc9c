package io.s2i.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {
  private static final String SHA =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @Test
  void bareNameIsNormalisedToDockerHubLibraryLatest() {
    ImageRef ref = ImageRef.parse("foo");
    assertThat(ref.normalized()).isEqualTo("docker.io/library/foo:latest");
    assertThat(ref.withDefaultTag()).isEqualTo("foo:latest");
    assertThat(ref.name()).isEqualTo("foo");
    assertThat(ref.registry()).isEmpty();
    assertThat(ref.repository()).isEqualTo("foo");
    assertThat(ref.tag()).isEmpty();
    assertThat(ref.digest()).isEmpty();
    assertThat(ref).hasToString("foo");
  }

  @Test
  void dockerHubUserRepositoryGetsNoLibraryPrefix() {
    assertThat(ImageRef.parse("user/foo:1.0").normalized()).isEqualTo("docker.io/user/foo:1.0");
    assertThat(ImageRef.parse("docker.io/foo").normalized()).isEqualTo("docker.io/library/foo:latest");
  }

  @Test
  void registryWithPortIsNotMistakenForTag() {
    ImageRef ref = ImageRef.parse("127.0.0.1:5999/b");
    assertThat(ref.registry()).contains("127.0.0.1:5999");
    assertThat(ref.repository()).isEqualTo("b");
    assertThat(ref.tag()).isEmpty();
    assertThat(ref.normalized()).isEqualTo("127.0.0.1:5999/b:latest");
    assertThat(ref.withDefaultTag()).isEqualTo("127.0.0.1:5999/b:latest");
    assertThat(ref.name()).isEqualTo("127.0.0.1:5999/b");
  }

  @Test
  void registryWithPortAndTag() {
    ImageRef ref = ImageRef.parse("127.0.0.1:5999/s2ispec-builder:v1");
    assertThat(ref.tag()).contains("v1");
    assertThat(ref.normalized()).isEqualTo("127.0.0.1:5999/s2ispec-builder:v1");
    assertThat(ref.withDefaultTag()).isEqualTo("127.0.0.1:5999/s2ispec-builder:v1");
  }

  @Test
  void tagsMayHoldUppercaseDotsAndDashes() {
    ImageRef ref = ImageRef.parse("foo:UPPER_tag.1-x");
    assertThat(ref.tag()).contains("UPPER_tag.1-x");
    assertThat(ref.normalized()).isEqualTo("docker.io/library/foo:UPPER_tag.1-x");
  }

  @Test
  void localhostIsARegistry() {
    ImageRef ref = ImageRef.parse("localhost/x/y:1");
    assertThat(ref.registry()).contains("localhost");
    assertThat(ref.repository()).isEqualTo("x/y");
    assertThat(ref.tag()).contains("1");
    assertThat(ref.normalized()).isEqualTo("localhost/x/y:1");
    assertThat(ref.name()).isEqualTo("localhost/x/y");
    assertThat(ref.withDefaultTag()).isEqualTo("localhost/x/y:1");
  }

  @Test
  void digestOnlyGetsNoDefaultTag() {
    ImageRef ref = ImageRef.parse("foo@" + SHA);
    assertThat(ref.digest()).contains(SHA);
    assertThat(ref.tag()).isEmpty();
    assertThat(ref.withDefaultTag()).isEqualTo("foo@" + SHA);
    assertThat(ref.normalized()).isEqualTo("docker.io/library/foo@" + SHA);
    assertThat(ref.name()).isEqualTo("foo");
  }

  @Test
  void tagAndDigestAreBothKept() {
    ImageRef ref = ImageRef.parse("quay.io/org/img:2@" + SHA);
    assertThat(ref.tag()).contains("2");
    assertThat(ref.digest()).contains(SHA);
    assertThat(ref.normalized()).isEqualTo("quay.io/org/img:2@" + SHA);
    assertThat(ref.name()).isEqualTo("quay.io/org/img");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Bad:Tag:UPPER", "Foo", "foo/Bar", "", "a//b", "foo:", "foo@sha256:xyz", "foo:bad!tag",
      "-foo", "foo/", "/foo", ":tag"})
  void invalidReferencesAreRejected(String text) {
    assertThatThrownBy(() -> ImageRef.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid reference format");
  }

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> ImageRef.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid reference format");
  }

  @Test
  void uppercaseRepositoryMessageSaysLowercase() {
    assertThatThrownBy(() -> ImageRef.parse("myRepo"))
        .hasMessageContaining("must be lowercase");
  }

  @Test
  void equalityFollowsTheTypedText() {
    assertThat(ImageRef.parse("foo")).isEqualTo(ImageRef.parse("foo"));
    assertThat(ImageRef.parse("foo").hashCode()).isEqualTo(ImageRef.parse("foo").hashCode());
    assertThat(ImageRef.parse("foo")).isNotEqualTo(ImageRef.parse("foo:latest"));
  }

  @Test
  void anImageSourceMayNameAFileAsSkopeoDoes() {
    ImageRef layout = ImageRef.parseSource("oci:/tmp/layout:builder");
    assertThat(layout.isFile()).isTrue();
    assertThat(layout.withDefaultTag()).isEqualTo("oci:/tmp/layout:builder");
    assertThat(layout.normalized()).isEqualTo("oci:/tmp/layout:builder");
    assertThat(ImageRef.parseSource("docker-archive:/tmp/b.tar").withDefaultTag()).isEqualTo("docker-archive:/tmp/b.tar");
    assertThat(ImageRef.parseSource("registry:5000/app").isFile()).isFalse();
    assertThat(ImageRef.parseSource("registry:5000/app").withDefaultTag()).isEqualTo("registry:5000/app:latest");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImageRef.parseSource("oci:"))
        .hasMessageContaining("names no path").hasMessageContaining("oci:DIR[:TAG]");
    // Only sources take files: an engine tag cannot be one.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImageRef.parse("oci:/tmp/layout"))
        .hasMessageContaining("invalid reference format");
  }
}
