package io.s2i.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class TarRelayTest {

  private interface Entries {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  private static byte[] tar(Entries entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      entries.write(tar);
    }
    return bytes.toByteArray();
  }

  private static void file(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    // Keep absolute names as written: the relay must see what a hostile producer sends.
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(data.length);
    e.setMode(0100000 | mode);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  private static void link(TarArchiveOutputStream tar, String name, String target, byte type) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static List<TarArchiveEntry> relay(byte[] input, String prefix, boolean normalise) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarRelay.copy(new ByteArrayInputStream(input), tar, prefix, w -> {}, normalise);
    }
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        entries.add(e);
      }
    }
    return entries;
  }

  @Test
  void keepsTypesModesAndLinksUnderThePrefix() throws IOException {
    byte[] input = tar(t -> {
      TarArchiveEntry dir = new TarArchiveEntry("./d/empty/");
      dir.setMode(040750);
      t.putArchiveEntry(dir);
      t.closeArchiveEntry();
      file(t, "d/f", "x", 0640);
      link(t, "d/link", "f", TarConstants.LF_SYMLINK);
      link(t, "d/hard", "d/f", TarConstants.LF_LINK);
    });
    List<TarArchiveEntry> out = relay(input, "artifacts", false);
    assertThat(out).extracting(TarArchiveEntry::getName)
        .containsExactly("artifacts/d/empty/", "artifacts/d/f", "artifacts/d/link", "artifacts/d/hard");
    assertThat(out.get(0).getMode() & 07777).isEqualTo(0750);
    assertThat(out.get(1).getMode() & 07777).isEqualTo(0640);
    assertThat(out.get(2).isSymbolicLink()).isTrue();
    assertThat(out.get(2).getLinkName()).isEqualTo("f");
    assertThat(out.get(3).isLink()).isTrue();
    assertThat(out.get(3).getLinkName()).isEqualTo("artifacts/d/f");
  }

  @Test
  void normalisingMakesEntriesRootOwnedWithUpstreamsModes() throws IOException {
    byte[] input = tar(t -> {
      file(t, "app.war", "w", 0600);
      file(t, "bin/start", "s", 0700);
    });
    List<TarArchiveEntry> out = relay(input, "deploy/x", true);
    assertThat(out).extracting(TarArchiveEntry::getName).containsExactly("deploy/x/app.war", "deploy/x/bin/start");
    assertThat(out).extracting(e -> e.getMode() & 07777).containsExactly(0644, 0755);
    assertThat(out).allSatisfy(e -> assertThat(e.getLongUserId()).isZero());
  }

  @Test
  void emptyPrefixWritesAtTheRoot() throws IOException {
    assertThat(relay(tar(t -> file(t, "a", "1", 0644)), ".", false))
        .extracting(TarArchiveEntry::getName).containsExactly("a");
  }

  @Test
  void refusesEntriesThatEscape() throws IOException {
    assertThatThrownBy(() -> relay(tar(t -> file(t, "../evil", "x", 0644)), "artifacts", false))
        .isInstanceOf(TarSourceException.class).hasMessageContaining("leaves its directory");
    assertThatThrownBy(() -> relay(tar(t -> file(t, "/etc/passwd", "x", 0644)), "artifacts", false))
        .isInstanceOf(TarSourceException.class).hasMessageContaining("absolute path");
    assertThatThrownBy(() -> relay(tar(t -> link(t, "l", "/etc/passwd", TarConstants.LF_SYMLINK)), "artifacts", false))
        .isInstanceOf(TarSourceException.class).hasMessageContaining("absolute path");
    assertThatThrownBy(() -> relay(tar(t -> link(t, "d/l", "../../x", TarConstants.LF_SYMLINK)), "artifacts", false))
        .isInstanceOf(TarSourceException.class).hasMessageContaining("outside");
    assertThatThrownBy(() -> relay(tar(t -> link(t, "h", "../x", TarConstants.LF_LINK)), "artifacts", false))
        .isInstanceOf(TarSourceException.class);
  }

  @Test
  void aSymlinkStayingInsideIsFine() throws IOException {
    assertThat(relay(tar(t -> link(t, "d/e/l", "../f", TarConstants.LF_SYMLINK)), "artifacts", false)).hasSize(1);
  }

  @Test
  void textInsteadOfATarIsQuoted() {
    byte[] junk = ("Saving artifacts...\n" + "x".repeat(600)).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> relay(junk, "artifacts", false))
        .isInstanceOf(TarSourceException.class)
        .hasMessageContaining("not a tar archive")
        .hasMessageContaining("Saving artifacts...");
  }

  @Test
  void textShorterThanATarRecordIsNotAnEmptyArchive() throws IOException {
    byte[] junk = "Saving artifacts... done\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> relay(junk, "artifacts", false))
        .isInstanceOf(TarSourceException.class)
        .hasMessageContaining("not a tar archive")
        .hasMessageContaining("Saving artifacts... done");
    assertThat(relay(new byte[1024], "artifacts", false)).as("an archive of only end blocks").isEmpty();
    assertThat(relay(new byte[0], "artifacts", false)).as("no output at all").isEmpty();
  }

  @Test
  void trailingPaddingIsDrained() throws IOException {
    byte[] input = tar(t -> file(t, "a", "1", 0644));
    byte[] padded = new byte[input.length + 512];
    System.arraycopy(input, 0, padded, 0, input.length);
    ByteArrayInputStream in = new ByteArrayInputStream(padded);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      TarRelay.copy(in, tar, "artifacts", w -> {});
    }
    assertThat(in.available()).isZero();
  }
}
