package io.s2i.internal.image.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCompressionTest {
  @TempDir Path dir;

  @Test
  void theSameLayerAlwaysCompressesToTheSameBytes() throws Exception {
    Path layer = LayoutTestImages.layer(dir.resolve("l.tar"), Instant.EPOCH, "x".repeat(10_000));
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    LayerCompression.Compressed ca = LayerCompression.compress(layer, a);
    LayerCompression.Compressed cb = LayerCompression.compress(layer, b);
    assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
    assertThat(ca).isEqualTo(cb);
    assertThat(ca.digest()).isEqualTo(Digests.of(a.toByteArray()));
    assertThat(ca.size()).isEqualTo(a.size()).isLessThan(Files.size(layer));
  }

  @Test
  void decompressReadsGzipAndPlainTarsAlike() throws Exception {
    Path layer = LayoutTestImages.layer(dir.resolve("l.tar"), Instant.EPOCH, "content");
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    LayerCompression.compress(layer, gz);
    LayerCompression.Uncompressed fromGzip =
        LayerCompression.decompress(new ByteArrayInputStream(gz.toByteArray()), dir.resolve("1.tar"));
    LayerCompression.Uncompressed fromTar =
        LayerCompression.decompress(Files.newInputStream(layer), dir.resolve("2.tar"));
    assertThat(fromGzip.diffId()).isEqualTo(Digests.of(layer)).isEqualTo(fromTar.diffId());
    assertThat(fromGzip.size()).isEqualTo(Files.size(layer));
    assertThat(Files.readAllBytes(dir.resolve("1.tar"))).isEqualTo(Files.readAllBytes(layer));
  }

  @Test
  void decompressReadsZstdToTheSameTarAndDiffId() throws Exception {
    Path layer = LayoutTestImages.layer(dir.resolve("l.tar"), Instant.EPOCH, "y".repeat(50_000));
    ByteArrayOutputStream zst = new ByteArrayOutputStream();
    try (OutputStream out = new ZstdCompressorOutputStream(zst)) {
      Files.copy(layer, out);
    }
    assertThat(LayerCompression.isZstd(zst.toByteArray())).isTrue();
    LayerCompression.Uncompressed u =
        LayerCompression.decompress(new ByteArrayInputStream(zst.toByteArray()), dir.resolve("z.tar"));
    assertThat(u.diffId()).isEqualTo(Digests.of(layer));
    assertThat(u.size()).isEqualTo(Files.size(layer));
    assertThat(Files.readAllBytes(dir.resolve("z.tar"))).isEqualTo(Files.readAllBytes(layer));
  }

  @Test
  void aTruncatedZstdLayerFails() {
    byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0};
    assertThatThrownBy(() -> LayerCompression.decompress(new ByteArrayInputStream(zstd), dir.resolve("z.tar")))
        .isInstanceOf(IOException.class);
  }
}
