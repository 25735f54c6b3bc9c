package io.s2i.internal.image.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  ImageArchive first;
  ImageArchive second;
  Path layout;
  Path work;

  @BeforeEach
  void writeLayout() throws IOException {
    first = LayoutTestImages.image(Instant.EPOCH, LayoutTestImages.layer(dir.resolve("a.tar"), Instant.EPOCH, "one"),
        LayoutTestImages.layer(dir.resolve("b.tar"), Instant.EPOCH, "two"));
    second = LayoutTestImages.image(Instant.ofEpochSecond(5),
        LayoutTestImages.layer(dir.resolve("c.tar"), Instant.EPOCH, "three"));
    layout = dir.resolve("layout");
    OciLayoutWriter.write(first, layout, Optional.of("first"));
    work = Files.createDirectories(dir.resolve("work"));
  }

  @Test
  void readsTheOnlyImageBackAsWritten() throws Exception {
    ImageArchive read = OciLayoutReader.read(layout, Optional.empty(), work, d -> Optional.empty());
    assertThat(read.id()).isEqualTo(first.id());
    assertThat(read.layers()).extracting(ImageArchive.Layer::diffId)
        .containsExactlyElementsOf(first.layers().stream().map(ImageArchive.Layer::diffId).toList());
    for (int i = 0; i < read.layers().size(); i++) {
      assertThat(Files.readAllBytes(read.layers().get(i).file()))
          .isEqualTo(Files.readAllBytes(first.layers().get(i).file()));
    }
  }

  @Test
  void choosesTheImageByTagAndNamesTheTagsWhenItMustChoose() throws Exception {
    OciLayoutWriter.write(second, layout, Optional.of("second"));
    assertThat(OciLayoutReader.read(layout, Optional.of("second"), work, d -> Optional.empty()).id())
        .isEqualTo(second.id());
    assertThatThrownBy(() -> OciLayoutReader.read(layout, Optional.empty(), work, d -> Optional.empty()))
        .hasMessageContaining("holds 2 images").hasMessageContaining("first, second").hasMessageContaining("oci:DIR:TAG");
    assertThatThrownBy(() -> OciLayoutReader.read(layout, Optional.of("third"), work, d -> Optional.empty()))
        .hasMessageContaining("no image third");
  }

  @Test
  void layersTheCallerHasAreNotRead() throws Exception {
    Path cachedA = first.layers().get(0).file();
    ImageArchive read = OciLayoutReader.read(layout, Optional.empty(), work,
        d -> d.equals(first.layers().get(0).diffId()) ? Optional.of(cachedA) : Optional.empty());
    assertThat(read.layers().get(0).file()).isEqualTo(cachedA);
    try (Stream<Path> files = Files.list(work)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("layer-1.tar");
    }
  }

  @Test
  void aCorruptLayerBlobIsNamed() throws Exception {
    Path biggest;
    try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
      List<Path> all = blobs.toList();
      biggest = all.stream().filter(p -> isGzip(p)).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(biggest);
    bytes[bytes.length - 5] ^= 0x33; // the gzip trailer: the content still inflates
    Files.write(biggest, bytes);
    assertThatThrownBy(() -> OciLayoutReader.read(layout, Optional.empty(), work, d -> Optional.empty()))
        .isInstanceOf(IOException.class).hasMessageContaining(biggest.getFileName().toString());
  }

  @Test
  void anIndexInsideIsResolvedToThisPlatform() throws Exception {
    // Wrap the image's manifest in a nested index beside a manifest for another platform.
    ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
    ObjectNode manifest = (ObjectNode) index.get("manifests").get(0);
    String[] host = Platforms.host();
    ObjectNode nested = JSON.createObjectNode();
    nested.put("schemaVersion", 2);
    nested.put("mediaType", "application/vnd.oci.image.index.v1+json");
    ObjectNode other = nested.putArray("manifests").addObject();
    other.put("mediaType", OciLayoutWriter.MANIFEST_TYPE).put("digest", "sha256:" + "0".repeat(64)).put("size", 1);
    other.putObject("platform").put("os", "linux").put("architecture", "riscv64");
    ObjectNode mine = manifest.deepCopy();
    mine.remove("annotations");
    mine.putObject("platform").put("os", host[0]).put("architecture", host[1]);
    ((com.fasterxml.jackson.databind.node.ArrayNode) nested.get("manifests")).add(mine);
    byte[] nestedBytes = JSON.writeValueAsBytes(nested);
    String nestedDigest = Digests.of(nestedBytes);
    Files.write(layout.resolve("blobs/sha256").resolve(Digests.hex(nestedDigest)), nestedBytes);
    manifest.put("mediaType", "application/vnd.oci.image.index.v1+json").put("digest", nestedDigest)
        .put("size", nestedBytes.length);
    Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));

    assertThat(OciLayoutReader.read(layout, Optional.of("first"), work, d -> Optional.empty()).id())
        .isEqualTo(first.id());
  }

  @Test
  void aDirectoryThatIsNoLayoutIsSaidToBeOne() {
    assertThatThrownBy(() -> OciLayoutReader.read(work, Optional.empty(), work, d -> Optional.empty()))
        .hasMessageContaining("is not an OCI image layout");
  }

  private static boolean isGzip(Path p) {
    try (var in = Files.newInputStream(p)) {
      byte[] head = in.readNBytes(2);
      return head.length == 2 && head[0] == 0x1f && head[1] == (byte) 0x8b;
    } catch (IOException e) {
      return false;
    }
  }
}
