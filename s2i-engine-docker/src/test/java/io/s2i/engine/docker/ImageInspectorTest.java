package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.engine.ImageInfo;
import org.junit.jupiter.api.Test;

class ImageInspectorTest {
  @Test
  void readsWhatTheBuildNeedsFromAnInspectAnswer() throws Exception {
    String json = """
        {"Id": "sha256:abc", "Size": 1234, "RepoTags": ["x:latest"],
         "Config": {"User": "1001", "WorkingDir": "/opt/app-root/src", "Env": ["A=1", "PATH=/bin"],
                    "Entrypoint": null, "Cmd": ["/usr/libexec/s2i/usage"], "OnBuild": ["RUN true"],
                    "Labels": {"io.openshift.s2i.scripts-url": "image:///usr/libexec/s2i", "empty": ""},
                    "ExposedPorts": {"8080/tcp": {}}},
         "RootFS": {"Type": "layers", "Layers": ["sha256:l1", "sha256:l2"]}}
        """;
    ImageInfo info = ImageInspector.toImageInfo(new ObjectMapper().readTree(json));

    assertThat(info.id()).isEqualTo("sha256:abc");
    assertThat(info.size()).isEqualTo(1234);
    assertThat(info.user()).isEqualTo("1001");
    assertThat(info.workingDir()).isEqualTo("/opt/app-root/src");
    assertThat(info.env()).containsExactly("A=1", "PATH=/bin");
    assertThat(info.entrypoint()).isEmpty();
    assertThat(info.cmd()).containsExactly("/usr/libexec/s2i/usage");
    assertThat(info.onBuild()).containsExactly("RUN true");
    assertThat(info.labels()).containsEntry("io.openshift.s2i.scripts-url", "image:///usr/libexec/s2i")
        .containsEntry("empty", "");
    assertThat(info.layers()).containsExactly("sha256:l1", "sha256:l2");
  }

  @Test
  void anImageWithoutConfigHasEmptyFields() throws Exception {
    ImageInfo info = ImageInspector.toImageInfo(new ObjectMapper().readTree("{\"Id\": \"sha256:x\", \"Config\": null}"));
    assertThat(info.id()).isEqualTo("sha256:x");
    assertThat(info.labels()).isEmpty();
    assertThat(info.user()).isEmpty();
    assertThat(info.cmd()).isEmpty();
  }

  @Test
  void referencesGoRawIntoThePathAndOddCharactersAreEncoded() {
    assertThat(ImageInspector.pathSegment("127.0.0.1:5000/ns/app:v1.2_3-x"))
        .isEqualTo("127.0.0.1:5000/ns/app:v1.2_3-x");
    assertThat(ImageInspector.pathSegment("app@sha256:0123abcd")).isEqualTo("app@sha256:0123abcd");
    assertThat(ImageInspector.pathSegment("a b?c#d%")).isEqualTo("a%20b%3Fc%23d%25");
  }
}
