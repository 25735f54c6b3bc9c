package io.s2i.internal.image.layout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveRoundTripTest {
  @TempDir Path dir;

  @Test
  void writtenArchiveReadsBackAsTheSameImage() throws Exception {
    ImageArchive image = LayoutTestImages.image(Instant.EPOCH,
        LayoutTestImages.layer(dir.resolve("a.tar"), Instant.EPOCH, "a"),
        LayoutTestImages.layer(dir.resolve("b.tar"), Instant.EPOCH, "b"));
    Path file = dir.resolve("image.tar");
    DockerArchiveWriter.write(image, file, Optional.of("127.0.0.1:5000/app:1"));

    ImageArchive back;
    try (InputStream in = Files.newInputStream(file)) {
      back = DockerArchiveReader.read(in, Files.createDirectories(dir.resolve("x")));
    }
    assertThat(back.id()).isEqualTo(image.id());
    assertThat(back.layers()).extracting(ImageArchive.Layer::diffId)
        .containsExactlyElementsOf(image.layers().stream().map(ImageArchive.Layer::diffId).toList());
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("x/manifest.json").toFile());
    assertThat(manifest.get(0).get("RepoTags").get(0).asText()).isEqualTo("127.0.0.1:5000/app:1");
  }

  @Test
  void sameImageGivesTheSameBytes() throws Exception {
    ImageArchive image = LayoutTestImages.image(Instant.EPOCH,
        LayoutTestImages.layer(dir.resolve("a.tar"), Instant.EPOCH, "a"));
    DockerArchiveWriter.write(image, dir.resolve("1.tar"), Optional.empty());
    DockerArchiveWriter.write(image, dir.resolve("2.tar"), Optional.empty());
    assertThat(Digests.of(dir.resolve("1.tar"))).isEqualTo(Digests.of(dir.resolve("2.tar")));
  }
}
