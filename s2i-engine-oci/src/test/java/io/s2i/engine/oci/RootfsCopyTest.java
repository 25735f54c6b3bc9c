package io.s2i.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container root made without overlayfs: layers applied to a plain directory (whiteouts, opaque
 * directories, links) and the layer its snapshot diff writes, which must be the one an overlayfs
 * upper dir gives for the same changes. Needs root (chown, mknod, mount).
 */
class RootfsCopyTest {
  @TempDir Path tmp;
  private final List<Path> mounts = new ArrayList<>();

  @AfterEach
  void unmount() {
    for (Path m : mounts) {
      Commands.run(List.of("umount", m.toString()));
    }
  }

  private static byte[] tar(Object... entries) {
    return TestLayers.tar(entries);
  }

  private static void apply(Path root, LayerUnpacker.Mode mode, byte[] tar) throws IOException {
    Files.createDirectories(root);
    new LayerUnpacker(root, mode, true).unpack(new ByteArrayInputStream(tar));
  }

  private static final byte[] BASE = tar(
      "etc/", "", "etc/modified", "orig", "etc/chmodonly", "c", "etc/chownonly", "c", "etc/deleted", "d",
      "etc/unchanged", "u", "deldir/", "", "deldir/f", "f", "dir2file/", "", "dir2file/f", "f",
      "redo/", "", "redo/old", "o", "link", new String[] {"->", "target1"}, "lib/", "", "lib/a", "shared",
      "lib/b", new String[] {"=>", "lib/a"}, "mnt/", "", "keep/", "", "keep/x", "x",
      "sbin", new String[] {"->", "/etc"});

  /** What a build script might do: every kind of change. */
  private static final String CHANGES = String.join(" && ",
      "echo new > added.txt", "printf 'changed' > etc/modified", "chmod 600 etc/chmodonly",
      "chown 1234:1234 etc/chownonly", "rm etc/deleted", "rm -rf deldir",
      "rm -rf dir2file", "echo x > dir2file", "rm -rf redo", "mkdir redo", "echo y > redo/new",
      "ln -sfn target2 link", "echo h > h1", "ln h1 h2", "rm lib/b",
      // what the runtime does for mount points: left out of the layer
      "touch etc/hostname", "mkdir mnt/point");

  private static final Set<String> EXCLUDED = Set.of("etc/hostname", "mnt/point");

  @Test
  void layersAreAppliedWithWhiteoutsOpaqueDirectoriesAndLinks() throws Exception {
    Path root = tmp.resolve("root");
    apply(root, LayerUnpacker.Mode.APPLY_LAYER, BASE);
    apply(root, LayerUnpacker.Mode.APPLY_LAYER, tar(
        "etc/.wh.deleted", "", ".wh.deldir", "",
        // the marker after one of the layer's own entries: that entry stays
        "redo/", "", "redo/mine", "m", "redo/.wh..wh..opq", "",
        "keep/", "", "keep/.wh..wh..opq", "", "keep/sub/", "", "keep/sub/y", "y",
        "etc/modified", "upper", "link", new String[] {"->", "target2"},
        // under a lower layer's symbolic link, without the directory's own entry
        "sbin/tool", "t"));
    assertThat(root.resolve("etc/deleted")).doesNotExist();
    assertThat(root.resolve("deldir")).doesNotExist();
    assertThat(Files.exists(root.resolve("etc/.wh.deleted"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(list(root.resolve("redo"))).containsExactly("mine");
    assertThat(list(root.resolve("keep"))).containsExactly("sub");
    assertThat(root.resolve("keep/sub/y")).hasContent("y");
    assertThat(root.resolve("etc/modified")).hasContent("upper");
    assertThat(root.resolve("etc/unchanged")).hasContent("u");
    assertThat(Files.readSymbolicLink(root.resolve("link"))).isEqualTo(Path.of("target2"));
    assertThat(Files.getAttribute(root.resolve("lib/b"), "unix:ino"))
        .as("a hard link of the image stays one").isEqualTo(Files.getAttribute(root.resolve("lib/a"), "unix:ino"));
    assertThat(Files.getLastModifiedTime(root.resolve("etc/unchanged")).toMillis()).isEqualTo(1_000_000_000_000L);
    // The layer's directory replaces the link (as overlayfs shows it), never written through.
    assertThat(Files.isSymbolicLink(root.resolve("sbin"))).isFalse();
    assertThat(root.resolve("sbin/tool")).hasContent("t");
    assertThat(root.resolve("etc/tool")).doesNotExist();
  }

  @Test
  void cachedLayerIsCheckedAgainstItsDigestWhenApplied() throws Exception {
    LayerCache cache = new LayerCache(tmp.resolve("cache"));
    byte[] layer = tar("etc/", "", "etc/f", "content");
    String good = "sha256:" + java.util.HexFormat.of().formatHex(LayerCache.sha256().digest(layer));
    Files.write(cache.blob(good), layer);
    cache.applyLayer(good, Files.createDirectories(tmp.resolve("good")));
    assertThat(tmp.resolve("good/etc/f")).hasContent("content");

    String claimed = "sha256:" + "ab".repeat(32);
    Files.write(cache.blob(claimed), layer);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> cache.applyLayer(claimed, Files.createDirectories(tmp.resolve("bad"))))
        .isInstanceOf(LayerCache.CorruptLayerException.class).hasMessageContaining(good);
    assertThat(cache.blob(claimed)).as("the corrupt blob is dropped").doesNotExist();
  }

  @Test
  void snapshotDiffHoldsExactlyTheChanges() throws Exception {
    Path root = tmp.resolve("root");
    apply(root, LayerUnpacker.Mode.APPLY_LAYER, BASE);
    RootfsSnapshot snapshot = RootfsSnapshot.take(root);
    sh(root, CHANGES);
    List<String> entries = opaqueRedo(entries(LayerDiff.write(snapshot.changes(), EXCLUDED, tmp.resolve("copy.tar")),
        tmp.resolve("copy.tar")));
    assertThat(entries).containsExactly(
        "added.txt 100644 0:0",
        ".wh.deldir 100000 0:0",
        "dir2file 100644 0:0",
        "etc/ 40755 0:0",
        "etc/chmodonly 100600 0:0",
        "etc/chownonly 100644 1234:1234",
        "etc/.wh.deleted 100000 0:0",
        "etc/modified 100644 0:0",
        "h1 100644 0:0",
        "h2 100644 0:0 hardlink h1",
        "lib/ 40755 0:0",
        "lib/.wh.b 100000 0:0",
        "link 120777 0:0 symlink target2",
        "redo/ 40755 0:0",
        "redo/.wh..wh..opq 100000 0:0",
        "redo/new 100644 0:0");
    // Nothing changed, nothing written: a second snapshot of the same tree gives an empty layer.
    assertThat(RootfsSnapshot.take(root).changes()).isEmpty();
  }

  @Test
  void snapshotDiffWritesTheLayerAnOverlayUpperDirGives() throws Exception {
    Path lower = tmp.resolve("lower");
    apply(lower, LayerUnpacker.Mode.OVERLAY_LAYER, BASE);
    Path upper = Files.createDirectories(tmp.resolve("upper"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path merged = Files.createDirectories(tmp.resolve("merged"));
    Commands.Result r = Commands.run(List.of("mount", "-t", "overlay", "overlay", "-o",
        "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, merged.toString()));
    assertThat(r.ok()).as(r.output()).isTrue();
    mounts.add(merged);
    sh(merged, CHANGES);
    Commands.run(List.of("umount", merged.toString()));
    mounts.clear();

    Path copy = tmp.resolve("copy");
    apply(copy, LayerUnpacker.Mode.APPLY_LAYER, BASE);
    RootfsSnapshot snapshot = RootfsSnapshot.take(copy);
    sh(copy, CHANGES);

    Path overlayTar = tmp.resolve("overlay.tar");
    Path copyTar = tmp.resolve("copy.tar");
    List<String> viaOverlay = opaqueRedo(entries(LayerDiff.write(upper, EXCLUDED, overlayTar), overlayTar));
    List<String> viaCopy = opaqueRedo(entries(LayerDiff.write(snapshot.changes(), EXCLUDED, copyTar), copyTar));
    assertThat(viaCopy).isEqualTo(viaOverlay).hasSizeGreaterThan(10);
    // And what counts: either layer on the base gives the same tree.
    assertThat(tree(onBase("a", overlayTar))).isEqualTo(tree(onBase("b", copyTar))).contains("redo/new 100644 0:0 y");
  }

  /**
   * ext4 may give {@code mkdir redo} the inode {@code rm -rf redo} just freed; the snapshot then sees
   * the old directory with its child removed and writes {@code redo/.wh.old} where overlayfs marks
   * {@code redo} opaque. Both hide the old child: the same tree, so the tests accept either.
   */
  private static List<String> opaqueRedo(List<String> entries) {
    return entries.stream().map(e -> e.equals("redo/.wh.old 100000 0:0") ? "redo/.wh..wh..opq 100000 0:0" : e).toList();
  }

  private Path onBase(String name, Path layer) throws IOException {
    Path root = tmp.resolve("tree-" + name);
    apply(root, LayerUnpacker.Mode.APPLY_LAYER, BASE);
    apply(root, LayerUnpacker.Mode.APPLY_LAYER, Files.readAllBytes(layer));
    return root;
  }

  /** Each path below root as "path mode uid:gid content-or-link-target", sorted. */
  private static List<String> tree(Path root) throws IOException {
    try (var s = Files.walk(root)) {
      return s.filter(p -> !p.equals(root)).map(p -> {
        try {
          var a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
          String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
              : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : Files.readString(p).trim();
          return root.relativize(p) + " " + Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("uid") + ":"
              + a.get("gid") + " " + what;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().toList();
    }
  }

  private static void sh(Path dir, String script) throws Exception {
    Process p = new ProcessBuilder("sh", "-ec", script).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  private static List<String> list(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Each entry as "name mode uid:gid [symlink|hardlink target]", in tar order. */
  private static List<String> entries(String digest, Path tarFile) throws IOException {
    assertThat(digest).startsWith("sha256:");
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tarFile))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        String s = e.getName() + " " + Integer.toOctalString(e.getMode()) + " " + e.getLongUserId() + ":"
            + e.getLongGroupId();
        if (e.isSymbolicLink()) {
          s += " symlink " + e.getLinkName();
        } else if (e.isLink()) {
          s += " hardlink " + e.getLinkName();
        }
        names.add(s);
      }
    }
    return names;
  }
}
