package io.s2i.internal.image.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  ImageArchive image;

  @BeforeEach
  void makeImage() throws IOException {
    image = LayoutTestImages.image(Instant.EPOCH,
        LayoutTestImages.layer(dir.resolve("l.tar"), Instant.EPOCH, "hello"));
  }

  @Test
  void writesALayoutWhoseBlobsMatchTheirDigests() throws Exception {
    Path out = dir.resolve("out");
    OciLayoutWriter.Written w = OciLayoutWriter.write(image, out, Optional.of("v1"));

    assertThat(JSON.readTree(out.resolve("oci-layout").toFile()).get("imageLayoutVersion").asText()).isEqualTo("1.0.0");
    JsonNode index = JSON.readTree(out.resolve("index.json").toFile());
    JsonNode entry = index.get("manifests").get(0);
    assertThat(entry.get("digest").asText()).isEqualTo(w.manifestDigest());
    assertThat(entry.get("annotations").get("org.opencontainers.image.ref.name").asText()).isEqualTo("v1");
    Path manifestFile = blob(out, w.manifestDigest());
    assertThat(Digests.of(manifestFile)).isEqualTo(w.manifestDigest());
    JsonNode manifest = JSON.readTree(manifestFile.toFile());
    assertThat(manifest.get("config").get("digest").asText()).isEqualTo(image.id());
    String layerDigest = manifest.get("layers").get(0).get("digest").asText();
    Path layerBlob = blob(out, layerDigest);
    assertThat(Digests.of(layerBlob)).isEqualTo(layerDigest);
    try (InputStream in = new GZIPInputStream(Files.newInputStream(layerBlob))) {
      assertThat(Digests.of(in.readAllBytes())).isEqualTo(image.layers().get(0).diffId());
    }
  }

  @Test
  void sameImageGivesTheSameManifestDigest() throws Exception {
    String a = OciLayoutWriter.write(image, dir.resolve("a"), Optional.empty()).manifestDigest();
    String b = OciLayoutWriter.write(image, dir.resolve("b"), Optional.empty()).manifestDigest();
    assertThat(a).isEqualTo(b);
  }

  @Test
  void secondTagIsAddedToAnExistingLayoutAndSameTagIsReplaced() throws Exception {
    Path out = dir.resolve("out");
    OciLayoutWriter.write(image, out, Optional.of("v1"));
    ImageArchive other = LayoutTestImages.image(Instant.EPOCH,
        LayoutTestImages.layer(dir.resolve("l2.tar"), Instant.EPOCH, "other"));
    OciLayoutWriter.write(other, out, Optional.of("v2"));
    OciLayoutWriter.Written again = OciLayoutWriter.write(other, out, Optional.of("v1"));
    JsonNode manifests = JSON.readTree(out.resolve("index.json").toFile()).get("manifests");
    assertThat(manifests).hasSize(2);
    assertThat(manifests.findValuesAsText("digest")).containsOnly(again.manifestDigest());
  }

  @Test
  void refusesADirectoryOfOtherFilesAndLeavesItAlone() throws Exception {
    Path out = Files.createDirectories(dir.resolve("busy"));
    Files.writeString(out.resolve("mine.txt"), "x");
    assertThatThrownBy(() -> OciLayoutWriter.write(image, out, Optional.empty()))
        .hasMessageContaining("not an OCI image layout");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("mine.txt");
    }
  }

  @Test
  void failureLeavesNoPartialLayout() throws Exception {
    ImageArchive broken = new ImageArchive(image.config(),
        java.util.List.of(new ImageArchive.Layer(dir.resolve("missing.tar"), "sha256:00", 1)));
    Path out = dir.resolve("out");
    assertThatThrownBy(() -> OciLayoutWriter.write(broken, out, Optional.empty())).isInstanceOf(IOException.class);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("l.tar");
    }
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256").resolve(Digests.hex(digest));
  }
}
