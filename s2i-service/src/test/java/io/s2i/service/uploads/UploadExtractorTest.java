package io.s2i.service.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploaded archives are hostile: nothing may land outside the directory. */
class UploadExtractorTest {
  @TempDir Path tmp;
  final UploadExtractor extractor = new UploadExtractor(1 << 20, 100);

  interface Entries {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  Path tar(boolean gzip, Entries entries) throws IOException {
    Path file = tmp.resolve("upload-" + System.nanoTime());
    try (OutputStream raw = Files.newOutputStream(file);
         OutputStream out = gzip ? new GzipCompressorOutputStream(raw) : raw;
         TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      entries.write(tar);
    }
    return file;
  }

  static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, true); // keeps a leading '/', as a hostile tar would
    e.setSize(b.length);
    e.setMode(0755);
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
  }

  static void link(TarArchiveOutputStream tar, String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  @Test
  void unpacksTarTarGzAndZip() throws Exception {
    Path out = tmp.resolve("a");
    extractor.extract(tar(true, t -> {
      file(t, "./src/app.sh", "echo hi");
      link(t, "src/link", "app.sh");
    }), out);
    assertThat(out.resolve("src/app.sh")).hasContent("echo hi").isExecutable();
    assertThat(Files.readSymbolicLink(out.resolve("src/link"))).isEqualTo(Path.of("app.sh"));
    Path zip = tmp.resolve("z.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry("dir/x.txt"));
      z.write("zipped".getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    extractor.extract(zip, tmp.resolve("b"));
    assertThat(tmp.resolve("b/dir/x.txt")).hasContent("zipped");
  }

  @Test
  void refusesEscapes() throws Exception {
    refused(tar(false, t -> file(t, "../evil", "x")), "'..'");
    refused(tar(false, t -> file(t, "/etc/evil", "x")), "absolute");
    refused(tar(false, t -> link(t, "out", "/etc")), "points outside");
    refused(tar(false, t -> link(t, "out", "../../x")), "points outside");
    refused(tar(false, t -> {
      link(t, "d", ".");
      file(t, "d/../../x", "x");
    }), "'..'");
    refused(tar(false, t -> {
      link(t, "sub", "inner");
      file(t, "inner/keep", "k");
      file(t, "sub/through", "x");
    }), "through the link");
    refused(tar(false, t -> {
      TarArchiveEntry e = new TarArchiveEntry("dev", TarArchiveEntry.LF_CHR);
      t.putArchiveEntry(e);
      t.closeArchiveEntry();
    }), "device");
    refused(tar(false, t -> {
      for (int i = 0; i < 101; i++) {
        file(t, "f" + i, "x");
      }
    }), "more than 100 entries");
    refused(tar(true, t -> file(t, "big", "x".repeat((1 << 20) + 1))), "more than");
    assertThat(tmp.getParent().resolve("evil")).doesNotExist();
    assertThat(Path.of("/etc/evil")).doesNotExist();
  }

  void refused(Path archive, String reason) {
    assertThatThrownBy(() -> extractor.extract(archive, tmp.resolve("out-" + System.nanoTime())))
        .isInstanceOf(UploadExtractor.UploadException.class).hasMessageContaining(reason);
  }
}
