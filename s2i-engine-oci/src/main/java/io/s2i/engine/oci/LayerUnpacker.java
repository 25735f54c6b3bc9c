package io.s2i.engine.oci;

import io.s2i.internal.fs.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a tar into a directory, keeping owners, modes, times, links and devices, and refusing
 * every entry that would land outside the directory (by {@code ..}, an absolute link target used
 * as a parent, or a symlinked parent).
 *
 * <p>In {@link Mode#OVERLAY_LAYER} the tar is an image layer and the directory becomes an overlayfs
 * lower dir: {@code .wh.NAME} becomes a whiteout (a 0/0 character device) and
 * {@code .wh..wh..opq} marks its directory opaque ({@code trusted.overlay.opaque=y}). In
 * {@link Mode#PLAIN} (files copied into a container) names are taken literally. In
 * {@link Mode#APPLY_LAYER} the tar is an image layer applied on top of the layers below it in a
 * plain directory (a container root without overlayfs): {@code .wh.NAME} removes NAME and
 * {@code .wh..wh..opq} removes everything the layers below put in its directory.
 */
final class LayerUnpacker {
  static final String WHITEOUT = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";

  enum Mode {
    OVERLAY_LAYER,
    APPLY_LAYER,
    PLAIN
  }

  private final Path root;
  private final Mode mode;
  private final boolean chown;
  // Directories known to be real (not symlinks) inside root: checked once, not per entry.
  private final Set<Path> realDirs = new HashSet<>();
  private final List<Object[]> dirTimes = new ArrayList<>();
  // APPLY_LAYER: what this layer wrote, which an opaque marker of the same layer keeps.
  private final Set<Path> written = new HashSet<>();

  LayerUnpacker(Path root, Mode mode, boolean chown) {
    this.root = root;
    this.mode = mode;
    this.chown = chown;
    realDirs.add(root);
  }

  /** An entry that cannot be unpacked safely; the message names it. */
  static final class UnsafeEntryException extends IOException {
    private static final long serialVersionUID = 1L;

    UnsafeEntryException(String message) {
      super(message);
    }
  }

  /** Unpacks every entry of {@code tar}. Does not close it. */
  void unpack(InputStream tar) throws IOException {
    TarArchiveInputStream in = new TarArchiveInputStream(tar);
    TarArchiveEntry e;
    while ((e = in.getNextEntry()) != null) {
      entry(in, e);
    }
    // Directory times last: adding children changes them.
    for (Object[] d : dirTimes) {
      setTime((Path) d[0], (FileTime) d[1]);
    }
  }

  private void entry(TarArchiveInputStream in, TarArchiveEntry e) throws IOException {
    String name = clean(e.getName());
    if (name.isEmpty()) {
      if (e.isDirectory() && mode != Mode.PLAIN) {
        applyAttributes(root, e, false);
      }
      return;
    }
    Path target = inside(name, e.getName());
    String base = target.getFileName().toString();
    Path parent = target.getParent();
    ensureRealDir(parent, e.getName());
    if (mode != Mode.PLAIN && base.startsWith(WHITEOUT)) {
      if (base.equals(OPAQUE)) {
        if (mode == Mode.OVERLAY_LAYER) {
          setOpaque(parent);
        } else {
          removeLowerContent(parent);
        }
      } else {
        Path hidden = parent.resolve(base.substring(WHITEOUT.length()));
        removeExisting(hidden);
        if (mode == Mode.OVERLAY_LAYER) {
          mknod(hidden, "c", 0, 0);
        }
      }
      return;
    }
    if (mode == Mode.APPLY_LAYER) {
      written.add(target);
    }
    if (e.isDirectory()) {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        realDirs.add(target);
      } else {
        removeExisting(target);
        Files.createDirectory(target);
        realDirs.add(target);
      }
      applyAttributes(target, e, false);
      dirTimes.add(new Object[] {target, e.getLastModifiedTime()});
      return;
    }
    removeExisting(target);
    if (e.isSymbolicLink()) {
      Files.createSymbolicLink(target, Path.of(e.getLinkName()));
      applyAttributes(target, e, true);
      realDirs.clear(); // a later entry could now be routed through this link
      realDirs.add(root);
    } else if (e.isLink()) {
      String link = clean(e.getLinkName());
      Path source = inside(link, e.getLinkName());
      if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
        throw new UnsafeEntryException("hard link " + e.getName() + " points to " + e.getLinkName()
            + ", which is not in the archive before it");
      }
      Files.createLink(target, source);
    } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      mknod(target, e.isFIFO() ? "p" : e.isCharacterDevice() ? "c" : "b", e.getDevMajor(), e.getDevMinor());
      applyAttributes(target, e, false);
    } else if (e.isFile()) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      applyAttributes(target, e, false);
    }
    // other types (sockets, GNU sparse markers) carry nothing an image needs
  }

  private static String clean(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.startsWith("./") ? n.substring(2) : n.substring(1);
    }
    if (n.equals(".")) {
      return "";
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n;
  }

  private Path inside(String name, String original) throws UnsafeEntryException {
    Path p = root.resolve(name).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new UnsafeEntryException("archive entry " + original + " escapes the root directory");
    }
    return p;
  }

  private void ensureRealDir(Path dir, String entry) throws IOException {
    if (realDirs.contains(dir)) {
      return;
    }
    ensureRealDir(dir.getParent(), entry);
    if (Files.isSymbolicLink(dir) && mode == Mode.APPLY_LAYER && !written.contains(dir)) {
      // A layer's directory over a lower layer's symbolic link replaces it, as overlayfs shows it.
      Files.delete(dir);
    } else if (Files.isSymbolicLink(dir)) {
      throw new UnsafeEntryException("archive entry " + entry + " is routed through the symbolic link "
          + root.relativize(dir) + ", which could point outside the root directory");
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(dir);
      }
      Files.createDirectory(dir);
    }
    realDirs.add(dir);
  }

  /**
   * Removes from {@code dir} everything this layer did not write: an opaque directory hides all
   * that the layers below had in it, whichever comes first in the tar, the marker or the entries.
   */
  private void removeLowerContent(Path dir) throws IOException {
    List<Path> children;
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      children = s.toList();
    }
    for (Path c : children) {
      if (!written.contains(c)) {
        removeExisting(c);
      } else if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) {
        removeLowerContent(c);
      }
    }
  }

  private void removeExisting(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.delete(p);
      } catch (DirectoryNotEmptyException notEmpty) {
        FileTrees.delete(p);
      }
      realDirs.removeIf(d -> d.startsWith(p));
    } else {
      Files.delete(p);
    }
  }

  private void applyAttributes(Path p, TarArchiveEntry e, boolean symlink) throws IOException {
    if (chown) {
      Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
    }
    if (!symlink) {
      Files.setAttribute(p, "unix:mode", e.getMode() & 07777);
      // The JDK sets times by opening the file: never open devices or FIFOs.
      if (regular(e)) {
        setTime(p, e.getLastModifiedTime());
      }
    }
    // Symbolic link times are left alone: the JDK cannot set them without following the link.
  }

  private static boolean regular(TarArchiveEntry e) {
    return !e.isDirectory() && !e.isSymbolicLink() && !e.isLink() && !e.isCharacterDevice()
        && !e.isBlockDevice() && !e.isFIFO();
  }

  private static void setTime(Path p, FileTime t) throws IOException {
    Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(t, null, null);
  }

  private static void mknod(Path p, String type, int major, int minor) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("mknod", p.toString(), type));
    if (!type.equals("p")) {
      cmd.add(Integer.toString(major));
      cmd.add(Integer.toString(minor));
    }
    Commands.Result r = Commands.run(cmd);
    if (!r.ok()) {
      throw new IOException("cannot create the device " + p + ": " + r.oneLine());
    }
  }

  private static void setOpaque(Path dir) throws IOException {
    Commands.Result r = Commands.run(List.of("setfattr", "-n", "trusted.overlay.opaque", "-v", "y", dir.toString()));
    if (!r.ok()) {
      throw new IOException("cannot mark " + dir + " opaque (setfattr from the attr package is needed): "
          + r.oneLine());
    }
  }
}
