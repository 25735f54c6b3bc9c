package io.s2i.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer unpacking (whiteouts, hostile entries) and the upper-dir diff (needs root for mknod). */
class LayerUnpackerTest {
  @TempDir Path tmp;

  private static byte[] tar(Object... entries) {
    return TestLayers.tar(entries);
  }

  private Path unpack(Path dir, LayerUnpacker.Mode mode, byte[] tar) throws IOException {
    Files.createDirectories(dir);
    new LayerUnpacker(dir, mode, true).unpack(new ByteArrayInputStream(tar));
    return dir;
  }

  @Test
  void whiteoutsBecomeOverlayWhiteoutsAndOpaqueDirsAreMarked() throws Exception {
    Path dir = unpack(tmp.resolve("l"), LayerUnpacker.Mode.OVERLAY_LAYER,
        tar("etc/", "", "etc/.wh.gone", "", "var/", "", "var/.wh..wh..opq", "", "var/new", "x"));
    Path gone = dir.resolve("etc/gone");
    assertThat((Integer) Files.getAttribute(gone, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
        .as("a character device").isEqualTo(0020000);
    assertThat(Files.getAttribute(gone, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
    assertThat(LayerDiff.opaqueDirs(dir)).containsExactly(dir.resolve("var"));
    assertThat(dir.resolve("var/.wh..wh..opq")).doesNotExist();
  }

  @Test
  void entriesEscapingTheRootAreRefusedByName() {
    assertThatThrownBy(() -> unpack(tmp.resolve("a"), LayerUnpacker.Mode.OVERLAY_LAYER, tar("../evil", "x")))
        .isInstanceOf(LayerUnpacker.UnsafeEntryException.class).hasMessageContaining("../evil");
    assertThat(tmp.resolve("evil")).doesNotExist();
    assertThatThrownBy(() -> unpack(tmp.resolve("b"), LayerUnpacker.Mode.PLAIN,
        tar("link", new String[] {"->", "/tmp"}, "link/evil", "x")))
        .isInstanceOf(LayerUnpacker.UnsafeEntryException.class).hasMessageContaining("link/evil");
  }

  @Test
  void plainModeTakesWhiteoutNamesLiterally() throws Exception {
    Path dir = unpack(tmp.resolve("p"), LayerUnpacker.Mode.PLAIN, tar(".wh.kept", "data"));
    assertThat(dir.resolve(".wh.kept")).hasContent("data");
  }

  @Test
  void diffOfAnUpperDirWritesWhiteoutsOpaqueMarkersAndLeavesOutMountPoints() throws Exception {
    Path upper = unpack(tmp.resolve("u"), LayerUnpacker.Mode.OVERLAY_LAYER,
        tar("a/", "", "a/.wh.old", "", "b/", "", "b/.wh..wh..opq", "", "b/f", "new", "etc/", "",
            "etc/hostname", ""));
    Path layer = tmp.resolve("layer.tar");
    String digest = LayerDiff.write(upper, Set.of("etc/hostname"), layer);
    assertThat(digest).startsWith("sha256:");
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(layer))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    assertThat(names).containsExactly("a/", "a/.wh.old", "b/", "b/.wh..wh..opq", "b/f");
    // The same upper dir gives the same layer.
    assertThat(LayerDiff.write(upper, Set.of("etc/hostname"), tmp.resolve("again.tar"))).isEqualTo(digest);
  }
}
