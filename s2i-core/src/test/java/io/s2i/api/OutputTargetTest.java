package io.s2i.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputTargetTest {
  @Test
  void plainReferenceStaysInTheEngineUnlessPushed() {
    assertThat(OutputTarget.parse("app:1", false))
        .isEqualTo(new OutputTarget.EngineImage(Optional.of(ImageRef.parse("app:1"))));
    assertThat(OutputTarget.parse("127.0.0.1:5000/app:1", true))
        .isEqualTo(new OutputTarget.RegistryImage(ImageRef.parse("127.0.0.1:5000/app:1")));
  }

  @Test
  void dockerTransportPushes() {
    OutputTarget t = OutputTarget.parse("docker://127.0.0.1:5000/ns/app:2", false);
    assertThat(t).isEqualTo(new OutputTarget.RegistryImage(ImageRef.parse("127.0.0.1:5000/ns/app:2")));
    assertThat(t.engineTag()).contains(ImageRef.parse("127.0.0.1:5000/ns/app:2"));
  }

  @Test
  void ociLayoutWithAndWithoutTag() {
    assertThat(OutputTarget.parse("oci:out/dir:v1", false))
        .isEqualTo(new OutputTarget.OciLayout(Path.of("out/dir"), Optional.of("v1")));
    OutputTarget noTag = OutputTarget.parse("oci:/abs/dir", false);
    assertThat(noTag).isEqualTo(new OutputTarget.OciLayout(Path.of("/abs/dir"), Optional.empty()));
    assertThat(noTag.isFile()).isTrue();
    assertThat(noTag.engineTag()).isEmpty();
  }

  @Test
  void dockerArchiveTakesAFullReference() {
    assertThat(OutputTarget.parse("docker-archive:/tmp/a.tar:reg:5000/app:1", false))
        .isEqualTo(new OutputTarget.DockerArchive(Path.of("/tmp/a.tar"),
            Optional.of(ImageRef.parse("reg:5000/app:1"))));
  }

  @Test
  void badOutputsSayHowToWriteThem() {
    assertThatThrownBy(() -> OutputTarget.parse("oci:", false)).hasMessageContaining("oci:DIR[:TAG]");
    assertThatThrownBy(() -> OutputTarget.parse("docker-archive:", false)).hasMessageContaining("docker-archive:FILE");
    assertThatThrownBy(() -> OutputTarget.parse("oci:/d:v1", true)).hasMessageContaining("push needs a registry image name");
    assertThatThrownBy(() -> OutputTarget.parse("docker://Bad/Name", false)).hasMessageContaining("invalid reference format");
  }

  @Test
  void requestTakesItsTagFromTheTarget() throws Exception {
    BuildRequest r = BuildRequest.builder(SourceSpec.local("."), ImageRef.parse("b"))
        .output(OutputTarget.parse("docker://127.0.0.1:5000/x:1", false)).build();
    assertThat(r.tag()).contains(ImageRef.parse("127.0.0.1:5000/x:1"));
    BuildRequest file = BuildRequest.builder(SourceSpec.local("."), ImageRef.parse("b"))
        .output(OutputTarget.parse("oci:/tmp/x", false)).build();
    assertThat(file.tag()).isEmpty();
  }
}
