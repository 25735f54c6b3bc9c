package io.s2i.internal.source.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.ArchiveLimits;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safe unpacking of archives given as the source; every hostile case leaves nothing outside. */
class ArchiveUnpackerTest {
  @TempDir Path tmp;

  /** One tar entry: name, type, content or link target, mode. */
  record E(String name, byte type, String data, int mode) {
    static E file(String name, String content) {
      return new E(name, TarConstants.LF_NORMAL, content, 0644);
    }

    static E dir(String name) {
      return new E(name, TarConstants.LF_DIR, "", 0755);
    }

    static E symlink(String name, String target) {
      return new E(name, TarConstants.LF_SYMLINK, target, 0777);
    }

    static E hardlink(String name, String target) {
      return new E(name, TarConstants.LF_LINK, target, 0644);
    }
  }

  private Path tar(String name, String compression, E... entries) throws IOException {
    Path file = tmp.resolve(name);
    try (OutputStream raw = Files.newOutputStream(file);
         OutputStream out = switch (compression) {
           case "gz" -> new GzipCompressorOutputStream(raw);
           case "zst" -> new ZstdCompressorOutputStream(raw);
           default -> raw;
         };
         TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (E e : entries) {
        TarArchiveEntry t = new TarArchiveEntry(e.name(), e.type(), true);
        t.setMode(e.mode());
        byte[] data = e.data().getBytes(StandardCharsets.UTF_8);
        if (e.type() == TarConstants.LF_SYMLINK || e.type() == TarConstants.LF_LINK) {
          t.setLinkName(e.data());
          data = new byte[0];
        } else if (e.type() == TarConstants.LF_CHR) {
          t.setDevMajor(1);
          t.setDevMinor(3);
          data = new byte[0];
        }
        t.setSize(e.type() == TarConstants.LF_NORMAL ? data.length : 0);
        tar.putArchiveEntry(t);
        if (t.getSize() > 0) {
          tar.write(data);
        }
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  private Path unpack(Path archive, ArchiveLimits limits) throws IOException, S2iException {
    Path target = tmp.resolve("out");
    new ArchiveUnpacker(limits, archive.getFileName().toString()).unpack(archive, FileKind.of(archive), target);
    return target;
  }

  private Path unpack(Path archive) throws IOException, S2iException {
    return unpack(archive, ArchiveLimits.DEFAULT);
  }

  @Test
  void aTarGzUnpacksWithModesLinksAndHardLinks() throws Exception {
    Path archive = tar("app.tar.gz", "gz", E.dir("./"), E.dir("./bin/"),
        new E("./bin/run", TarConstants.LF_NORMAL, "#!/bin/sh\necho hi\n", 04755),
        E.file("./app.py", "print(1)\n"), E.symlink("./bin/app", "../app.py"), E.hardlink("./copy.py", "./app.py"));
    assertThat(FileKind.of(archive)).isEqualTo(FileKind.TAR_GZIP);
    Path out = unpack(archive);
    assertThat(Files.readString(out.resolve("bin/run"))).contains("echo hi");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("bin/run"))))
        .as("set-id bits dropped, the rest kept").isEqualTo("rwxr-xr-x");
    assertThat(Files.readSymbolicLink(out.resolve("bin/app"))).isEqualTo(Path.of("../app.py"));
    assertThat(Files.readString(out.resolve("copy.py"))).isEqualTo("print(1)\n");
  }

  @Test
  void tarZstAndPlainTarAreRecognisedByContent() throws Exception {
    Path zst = tar("app.bin", "zst", E.file("a.txt", "z"));
    assertThat(FileKind.of(zst)).isEqualTo(FileKind.TAR_ZSTD);
    assertThat(Files.readString(unpack(zst).resolve("a.txt"))).isEqualTo("z");
    Path plain = tar("plain.tar", "", E.file("b.txt", "p"));
    assertThat(FileKind.of(plain)).isEqualTo(FileKind.TAR);
  }

  static Stream<Object[]> hostile() {
    return Stream.of(
        new Object[] {"absolute path", List.of(E.file("/etc/cron.d/evil", "x")), "has an absolute path"},
        new Object[] {"dot-dot", List.of(E.file("ok/../../evil", "x")), "climbs out with .."},
        new Object[] {"absolute link", List.of(E.symlink("etc", "/etc")), "points to the absolute path /etc"},
        new Object[] {"link out", List.of(E.dir("a/"), E.symlink("a/up", "../../..")), "points outside the source"},
        new Object[] {"write through link", List.of(E.symlink("d", "."), E.file("d/d/x", "x")),
            "would be written through the link d"},
        new Object[] {"hard link out", List.of(E.hardlink("h", "../../etc/passwd")), "climbs out with .."},
        new Object[] {"device node", List.of(new E("null", TarConstants.LF_CHR, "", 0666)), "is a device node"},
        new Object[] {"fifo", List.of(new E("pipe", TarConstants.LF_FIFO, "", 0644)), "is a FIFO"});
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("hostile")
  void hostileTarsAreRefusedAndNothingIsWrittenOutside(String name, List<E> entries, String why) throws Exception {
    Path archive = tar("hostile.tar", "", entries.toArray(E[]::new));
    List<Path> before = listTree(tmp);
    assertThatThrownBy(() -> unpack(archive))
        .isInstanceOf(S2iException.class)
        .satisfies(e -> assertThat(((S2iException) e).reason()).isEqualTo(FailureReason.FETCH_SOURCE_FAILED))
        .hasMessageStartingWith("refused archive hostile.tar: ").hasMessageContaining(why);
    List<Path> after = listTree(tmp);
    after.removeIf(p -> p.startsWith(tmp.resolve("out")));
    assertThat(after).as("nothing written beside the target").containsExactlyInAnyOrderElementsOf(before);
    assertThat(Files.exists(tmp.getParent().resolve("evil"))).isFalse();
  }

  @Test
  void aZipBombIsRefusedAtTheByteLimit() throws Exception {
    Path bomb = tmp.resolve("bomb.zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bomb.toFile())) {
      zip.putArchiveEntry(new ZipArchiveEntry("zeros.bin"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        zip.write(zeros);
      }
      zip.closeArchiveEntry();
    }
    assertThat(Files.size(bomb)).as("64 MiB that compress to little").isLessThan(1 << 20);
    assertThatThrownBy(() -> unpack(bomb, new ArchiveLimits(1000, 16L << 20)))
        .hasMessageContaining("it unpacks to more than 16777216 bytes (at zeros.bin)")
        .satisfies(e -> assertThat(((S2iException) e).suggestion().orElseThrow()).contains("S2I_ARCHIVE_MAX_BYTES"));
  }

  @Test
  void tooManyEntriesAreRefused() throws Exception {
    E[] many = new E[20];
    for (int i = 0; i < many.length; i++) {
      many[i] = E.file("f" + i, "");
    }
    assertThatThrownBy(() -> unpack(tar("many.tar", "", many), new ArchiveLimits(10, 1 << 20)))
        .hasMessageContaining("it has more than 10 entries");
  }

  @Test
  void aZipWithUnixModesAndAnEscapingEntryName() throws Exception {
    Path ok = tmp.resolve("ok.zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(ok.toFile())) {
      ZipArchiveEntry run = new ZipArchiveEntry("bin/run.sh");
      run.setUnixMode(0100755);
      zip.putArchiveEntry(run);
      zip.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
      zip.closeArchiveEntry();
    }
    assertThat(FileKind.of(ok)).isEqualTo(FileKind.ZIP);
    Path out = unpack(ok);
    assertThat(Files.isExecutable(out.resolve("bin/run.sh"))).isTrue();

    Path evil = tmp.resolve("evil.zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(evil.toFile())) {
      zip.putArchiveEntry(new ZipArchiveEntry("../../evil.txt"));
      zip.write('x');
      zip.closeArchiveEntry();
    }
    Files.walk(out).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    assertThatThrownBy(() -> unpack(evil)).hasMessageContaining("climbs out with ..");
  }

  @Test
  void aJarIsAJavaArchiveAndOnlyUnpackableWhenAsked() throws Exception {
    Path jar = tmp.resolve("lib.zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(jar.toFile())) {
      zip.putArchiveEntry(new ZipArchiveEntry("META-INF/MANIFEST.MF"));
      zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
      zip.closeArchiveEntry();
    }
    assertThat(FileKind.of(jar)).isEqualTo(FileKind.JAR);
    assertThat(FileKind.JAR.unpackedByDefault()).isFalse();
    assertThat(FileKind.JAR.unpackable()).isTrue();
    assertThat(Files.readString(unpack(jar).resolve("META-INF/MANIFEST.MF"))).startsWith("Manifest-Version");
  }

  @Test
  void aCorruptArchiveIsAClearError() throws Exception {
    Path archive = tar("cut.tar.gz", "gz", E.file("a.txt", "x".repeat(100_000)));
    byte[] all = Files.readAllBytes(archive);
    Files.write(archive, java.util.Arrays.copyOf(all, all.length / 2));
    assertThatThrownBy(() -> unpack(archive)).hasMessageContaining("could not be read as tar.gz: it ends early")
        .satisfies(e -> assertThat(((S2iException) e).suggestion().orElseThrow()).contains("complete, valid archive"));
  }

  private static List<Path> listTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return new java.util.ArrayList<>(s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList());
    }
  }
}
