package io.s2i.internal.image.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PlatformsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A Docker manifest list as registries serve multi-platform images. */
  private static final String LIST = """
      {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
       {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:arm","size":1,
        "platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
       {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:win","size":1,
        "platform":{"architecture":"amd64","os":"windows"}},
       {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:amd","size":1,
        "platform":{"architecture":"amd64","os":"linux"}}]}""";

  @Test
  void picksTheManifestOfTheOsAndArchitecture() throws Exception {
    JsonNode list = JSON.readTree(LIST);
    assertThat(Platforms.select(list, "linux", "amd64")).isEqualTo("sha256:amd");
    assertThat(Platforms.select(list, "linux", "arm64")).isEqualTo("sha256:arm");
  }

  @Test
  void noMatchNamesThePlatformsThereAre() throws Exception {
    assertThatThrownBy(() -> Platforms.select(JSON.readTree(LIST), "linux", "s390x"))
        .hasMessageContaining("no manifest for linux/s390x")
        .hasMessageContaining("linux/arm64, windows/amd64, linux/amd64");
  }

  @Test
  void aSingleEntryWithoutPlatformIsTaken() throws Exception {
    JsonNode index = JSON.readTree("{\"manifests\":[{\"digest\":\"sha256:only\"}]}");
    assertThat(Platforms.select(index, "linux", "amd64")).isEqualTo("sha256:only");
  }

  @Test
  void indexMediaTypesAreTold() {
    assertThat(Platforms.isIndex("application/vnd.oci.image.index.v1+json")).isTrue();
    assertThat(Platforms.isIndex("application/vnd.docker.distribution.manifest.list.v2+json")).isTrue();
    assertThat(Platforms.isIndex("application/vnd.oci.image.manifest.v1+json")).isFalse();
  }

  @Test
  void theHostIsLinuxWithAGoArchitectureName() {
    String[] host = Platforms.host();
    assertThat(host[0]).isEqualTo("linux");
    assertThat(host[1]).isNotEqualTo("x86_64").isNotEqualTo("aarch64").isNotBlank();
  }
}
