package io.s2i.internal.image.layout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibleImageTest {
  private static final Instant EPOCH = Instant.ofEpochSecond(1_700_000_000);
  @TempDir Path dir;

  @Test
  void sameContentBuiltAtDifferentTimesGivesTheSameId() throws Exception {
    ImageArchive first = LayoutTestImages.image(Instant.parse("2026-01-01T10:00:00.123Z"),
        LayoutTestImages.layer(dir.resolve("a.tar"), Instant.parse("2026-01-01T10:00:00Z"), "hi"));
    ImageArchive second = LayoutTestImages.image(Instant.parse("2026-02-02T11:11:11.999Z"),
        LayoutTestImages.layer(dir.resolve("b.tar"), Instant.parse("2026-02-02T11:11:11Z"), "hi"));
    assertThat(first.id()).isNotEqualTo(second.id());

    ImageArchive n1 = ReproducibleImage.normalise(first, EPOCH, Files.createDirectories(dir.resolve("n1")));
    ImageArchive n2 = ReproducibleImage.normalise(second, EPOCH, Files.createDirectories(dir.resolve("n2")));
    assertThat(n1.id()).isEqualTo(n2.id());
    assertThat(n1.layers().get(0).diffId()).isEqualTo(n2.layers().get(0).diffId());
  }

  @Test
  void differentContentStillDiffers() throws Exception {
    ImageArchive a = LayoutTestImages.image(EPOCH,
        LayoutTestImages.layer(dir.resolve("a.tar"), Instant.parse("2026-01-01T10:00:00Z"), "one"));
    ImageArchive b = LayoutTestImages.image(EPOCH,
        LayoutTestImages.layer(dir.resolve("b.tar"), Instant.parse("2026-01-01T10:00:00Z"), "two"));
    assertThat(ReproducibleImage.normalise(a, EPOCH, Files.createDirectories(dir.resolve("n1"))).id())
        .isNotEqualTo(ReproducibleImage.normalise(b, EPOCH, Files.createDirectories(dir.resolve("n2"))).id());
  }

  @Test
  void timesAreClampedAndOwnersModesLinksAndXattrsKept() throws Exception {
    ImageArchive image = LayoutTestImages.image(EPOCH,
        LayoutTestImages.layer(dir.resolve("a.tar"), Instant.parse("2026-01-01T10:00:00Z"), "hi"));
    ImageArchive n = ReproducibleImage.normalise(image, EPOCH, Files.createDirectories(dir.resolve("n")));
    try (InputStream in = Files.newInputStream(n.layers().get(0).file());
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry d = tar.getNextEntry();
      assertThat(d.getName()).isEqualTo("app/");
      assertThat(d.getLastModifiedTime().toInstant()).isEqualTo(EPOCH);
      TarArchiveEntry f = tar.getNextEntry();
      assertThat(f.getName()).isEqualTo("app/hello.txt");
      assertThat(f.getLastModifiedTime().toInstant()).isEqualTo(EPOCH);
      assertThat(f.getMode() & 07777).isEqualTo(0755);
      assertThat(f.getLongUserId()).isEqualTo(1001);
      assertThat(f.getExtraPaxHeader("SCHILY.xattr.user.test")).isEqualTo("kept");
      assertThat(new String(tar.readAllBytes())).isEqualTo("hi");
      TarArchiveEntry l = tar.getNextEntry();
      assertThat(l.isSymbolicLink()).isTrue();
      assertThat(l.getLinkName()).isEqualTo("hello.txt");
    }
  }

  @Test
  void olderLayersKeepTheirBytesAndTheConfigIsDatedAtTheEpoch() throws Exception {
    Path old = LayoutTestImages.layer(dir.resolve("old.tar"), Instant.parse("2001-01-01T00:00:00Z"), "base");
    Path fresh = LayoutTestImages.layer(dir.resolve("new.tar"), Instant.parse("2026-01-01T00:00:00Z"), "app");
    ImageArchive image = LayoutTestImages.image(Instant.parse("2026-01-01T00:00:00Z"), old, fresh);
    ImageArchive n = ReproducibleImage.normalise(image, EPOCH, Files.createDirectories(dir.resolve("n")));
    assertThat(n.layers().get(0).file()).isEqualTo(old);
    assertThat(n.layers().get(1).file()).isNotEqualTo(fresh);

    JsonNode config = new ObjectMapper().readTree(n.config());
    assertThat(config.get("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(config.get("history").get(0).get("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(config.has("container")).isFalse();
    assertThat(config.has("container_config")).isFalse();
    assertThat(config.get("rootfs").get("diff_ids").get(1).asText()).isEqualTo(n.layers().get(1).diffId());
    assertThat(config.get("config").get("Cmd").get(0).asText()).isEqualTo("run");
  }

  @Test
  void layersSharedWithTheBaseImageKeepTheirBytes() throws Exception {
    Path base = LayoutTestImages.layer(dir.resolve("base.tar"), Instant.parse("2026-01-01T00:00:00Z"), "base");
    Path app = LayoutTestImages.layer(dir.resolve("app.tar"), Instant.parse("2026-01-02T00:00:00Z"), "app");
    ImageArchive image = LayoutTestImages.image(Instant.parse("2026-01-02T00:00:00Z"), base, app);
    String baseDiffId = image.layers().get(0).diffId();

    ImageArchive n = ReproducibleImage.normalise(image, EPOCH, Files.createDirectories(dir.resolve("n")),
        java.util.List.of(baseDiffId));
    assertThat(n.layers().get(0).diffId()).isEqualTo(baseDiffId);
    assertThat(n.layers().get(1).diffId()).isNotEqualTo(image.layers().get(1).diffId());

    ImageArchive noBase = ReproducibleImage.normalise(image, EPOCH, Files.createDirectories(dir.resolve("m")));
    assertThat(noBase.layers().get(0).diffId()).isNotEqualTo(baseDiffId);
  }
}
