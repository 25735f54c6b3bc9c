package io.s2i.engine.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes what a container changed as an image layer tar. The changes come as a tree of
 * {@link Node}s, from an overlayfs upper dir ({@link #upperTree}: whiteouts are 0/0 character
 * devices, opaque directories carry {@code trusted.overlay.opaque=y}) or from comparing a copied
 * root with its snapshot ({@link RootfsSnapshot}); both are written the same way: whiteouts become
 * {@code .wh.NAME} entries and opaque directories get a {@code .wh..wh..opq} entry. Entries are in
 * name order, so the same changes give the same tar whichever way the root was made.
 */
final class LayerDiff {
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;

  /**
   * One changed path: a file whose attributes and content go into the layer ({@code path}), or a
   * whiteout of {@code name} (then {@code path} is a file whose modification time it takes).
   * {@code children} are the changes in a directory, in name order.
   */
  record Node(String name, Path path, boolean whiteout, boolean opaque, List<Node> children) {
    static Node whiteout(String name, Path timeSource) {
      return new Node(name, timeSource, true, false, List.of());
    }
  }

  private final Set<String> excluded;
  private final Map<Object, String> hardLinks = new HashMap<>();

  private LayerDiff(Set<String> excluded) {
    this.excluded = excluded;
  }

  /**
   * Writes the layer of overlayfs upper dir {@code upper} to {@code tarFile}, leaving out
   * {@code excluded} paths (relative, such as {@code etc/resolv.conf}: mount points the runtime
   * made); returns its digest.
   */
  static String write(Path upper, Set<String> excluded, Path tarFile) throws IOException {
    return write(upperTree(upper), excluded, tarFile);
  }

  /** Writes the layer of the changes {@code top} (the root's children) to {@code tarFile}. */
  static String write(List<Node> top, Set<String> excluded, Path tarFile) throws IOException {
    LayerDiff diff = new LayerDiff(excluded);
    MessageDigest md = LayerCache.sha256();
    try (OutputStream file = Files.newOutputStream(tarFile);
        OutputStream buffered = new java.io.BufferedOutputStream(file, 1 << 16);
        DigestOutputStream digesting = new DigestOutputStream(buffered, md);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(digesting)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      diff.children(top, "", tar);
      tar.finish();
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  /** The changes an overlayfs upper dir holds. */
  static List<Node> upperTree(Path upper) throws IOException {
    return upperChildren(upper, opaqueDirs(upper));
  }

  private static List<Node> upperChildren(Path dir, Set<Path> opaque) throws IOException {
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.sorted().toList();
    }
    List<Node> nodes = new ArrayList<>(entries.size());
    for (Path p : entries) {
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
      int type = (Integer) a.get("mode") & S_IFMT;
      String name = p.getFileName().toString();
      if (type == S_IFCHR && ((Long) a.get("rdev")) == 0L) {
        nodes.add(Node.whiteout(name, p));
      } else if (type == S_IFDIR) {
        nodes.add(new Node(name, p, false, opaque.contains(p), upperChildren(p, opaque)));
      } else {
        nodes.add(new Node(name, p, false, false, List.of()));
      }
    }
    return nodes;
  }

  private void children(List<Node> nodes, String prefix, TarArchiveOutputStream tar) throws IOException {
    for (Node n : nodes) {
      String rel = prefix + n.name();
      if (excluded.contains(rel) || onlyMountPoints(n, rel)) {
        continue;
      }
      entry(n, prefix, rel, tar);
    }
  }

  private void entry(Node n, String prefix, String rel, TarArchiveOutputStream tar) throws IOException {
    Path p = n.path();
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,size,lastModifiedTime,ino,dev,nlink",
        LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    int type = mode & S_IFMT;
    FileTime mtime = (FileTime) a.get("lastModifiedTime");
    if (n.whiteout()) {
      TarArchiveEntry w = new TarArchiveEntry(prefix + LayerUnpacker.WHITEOUT + n.name());
      w.setMode(S_IFREG);
      w.setSize(0);
      w.setModTime(mtime);
      tar.putArchiveEntry(w);
      tar.closeArchiveEntry();
      return;
    }
    TarArchiveEntry e;
    switch (type) {
      case S_IFDIR -> e = new TarArchiveEntry(rel + "/");
      case S_IFLNK -> {
        e = new TarArchiveEntry(rel, TarConstants.LF_SYMLINK);
        e.setLinkName(Files.readSymbolicLink(p).toString());
      }
      case S_IFREG -> {
        Object key = List.of(a.get("dev"), a.get("ino"));
        String first = ((Integer) a.get("nlink")) > 1 ? hardLinks.putIfAbsent(key, rel) : null;
        if (first != null) {
          e = new TarArchiveEntry(rel, TarConstants.LF_LINK);
          e.setLinkName(first);
        } else {
          e = new TarArchiveEntry(rel);
          e.setSize((Long) a.get("size"));
        }
      }
      case S_IFCHR, S_IFBLK, S_IFIFO -> {
        e = new TarArchiveEntry(rel, type == S_IFCHR ? TarConstants.LF_CHR
            : type == S_IFBLK ? TarConstants.LF_BLK : TarConstants.LF_FIFO);
        long rdev = (Long) a.get("rdev");
        e.setDevMajor((int) ((rdev >> 8) & 0xfff));
        e.setDevMinor((int) ((rdev & 0xff) | ((rdev >> 12) & 0xfff00)));
      }
      default -> {
        return; // sockets do not belong in images
      }
    }
    e.setMode(mode);
    e.setUserId((Integer) a.get("uid"));
    e.setGroupId((Integer) a.get("gid"));
    e.setUserName("");
    e.setGroupName("");
    e.setModTime(mtime);
    tar.putArchiveEntry(e);
    if (type == S_IFREG && !e.isLink() && e.getSize() > 0) {
      try (InputStream in = Files.newInputStream(p)) {
        in.transferTo(tar);
      }
    }
    tar.closeArchiveEntry();
    if (type == S_IFDIR) {
      if (n.opaque()) {
        TarArchiveEntry o = new TarArchiveEntry(rel + "/" + LayerUnpacker.OPAQUE);
        o.setMode(S_IFREG);
        o.setSize(0);
        o.setModTime(mtime);
        tar.putArchiveEntry(o);
        tar.closeArchiveEntry();
      }
      children(n.children(), rel + "/", tar);
    }
  }

  /**
   * Whether {@code n} is a directory that changed only because the runtime made mount points in
   * it (such as {@code etc/} for {@code etc/hostname}): nothing else changed in it.
   */
  private boolean onlyMountPoints(Node n, String rel) {
    if (excluded.isEmpty() || n.whiteout() || n.opaque() || n.children().isEmpty()
        || !Files.isDirectory(n.path(), LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    for (Node k : n.children()) {
      String kRel = rel + "/" + k.name();
      if (!excluded.contains(kRel) && !onlyMountPoints(k, kRel)) {
        return false;
      }
    }
    return true;
  }

  /** Directories marked {@code trusted.overlay.opaque=y}; read with getfattr (attr package). */
  static Set<Path> opaqueDirs(Path upper) throws IOException {
    Commands.Result r = Commands.run(List.of("getfattr", "-R", "-P", "--absolute-names", "-d", "-m",
        "^trusted\\.overlay\\.opaque$", upper.toString()));
    if (r.code() == 127) {
      throw new IOException("cannot read overlay attributes: getfattr is missing (install the attr package)");
    }
    Set<Path> dirs = new HashSet<>();
    String file = null;
    for (String line : r.output().split("\n")) {
      if (line.startsWith("# file: ")) {
        file = line.substring(8);
      } else if (file != null && line.startsWith("trusted.overlay.opaque=\"y\"")) {
        dirs.add(Path.of(file));
      }
    }
    return dirs;
  }
}
