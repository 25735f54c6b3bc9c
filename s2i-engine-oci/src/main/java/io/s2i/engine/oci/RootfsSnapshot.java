package io.s2i.engine.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The metadata of every path of a copied container root (one made without overlayfs), taken
 * before the container first runs; {@link #changes} compares the root with it and gives what
 * changed as the tree {@link LayerDiff} writes, as an overlayfs upper dir would have held it.
 *
 * <p>The files of a copied root are this container's own, so a write to one changes its ctime
 * (and a replacement its inode): the comparison needs no content hashes. A directory that was
 * removed and made again, or that replaced a file, is opaque, as overlayfs makes it; a path that
 * is gone is a whiteout; a changed path brings its parent directories, as an overlay copy-up does.
 */
final class RootfsSnapshot {
  private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,ctime,ino,nlink";
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;

  /** What is compared of one path; {@code nlink} only tells a link count change from a write. */
  private record Meta(int mode, int uid, int gid, long size, FileTime mtime, FileTime ctime, long ino,
      int nlink, String linkTarget) {
    boolean dir() {
      return (mode & S_IFMT) == S_IFDIR;
    }

    boolean sameType(Meta o) {
      return (mode & S_IFMT) == (o.mode & S_IFMT);
    }

    /**
     * Whether this is a change of {@code before}. A ctime change alone with another link count is
     * a hard link made or removed elsewhere, which overlayfs would not copy up either.
     */
    boolean changedFrom(Meta before) {
      if (mode != before.mode || uid != before.uid || gid != before.gid || size != before.size
          || ino != before.ino || !mtime.equals(before.mtime)
          || !java.util.Objects.equals(linkTarget, before.linkTarget)) {
        return true;
      }
      return !ctime.equals(before.ctime) && nlink == before.nlink;
    }
  }

  private final Path root;
  private final Map<String, Meta> paths;
  private final Map<String, List<String>> children;

  private RootfsSnapshot(Path root, Map<String, Meta> paths, Map<String, List<String>> children) {
    this.root = root;
    this.paths = paths;
    this.children = children;
  }

  /** Records every path under {@code root} (symbolic links are not followed). */
  static RootfsSnapshot take(Path root) throws IOException {
    Map<String, Meta> paths = new HashMap<>();
    Map<String, List<String>> children = new HashMap<>();
    record(root, "", paths, children);
    return new RootfsSnapshot(root, paths, children);
  }

  private static void record(Path dir, String rel, Map<String, Meta> paths, Map<String, List<String>> children)
      throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    }
    children.put(rel, names);
    for (String name : names) {
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      Path p = dir.resolve(name);
      Meta m = meta(p);
      paths.put(childRel, m);
      if (m.dir()) {
        record(p, childRel, paths, children);
      }
    }
  }

  private static Meta meta(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    return new Meta(mode, (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"),
        (FileTime) a.get("lastModifiedTime"), (FileTime) a.get("ctime"), (Long) a.get("ino"),
        (Integer) a.get("nlink"),
        (mode & S_IFMT) == S_IFLNK ? Files.readSymbolicLink(p).toString() : null);
  }

  /** What changed in the root since the snapshot, as the root's changed children in name order. */
  List<LayerDiff.Node> changes() throws IOException {
    return changedChildren(root, "", false);
  }

  /**
   * The changes in directory {@code dir}; {@code fresh} when the directory itself is new, so that
   * everything in it is too.
   */
  private List<LayerDiff.Node> changedChildren(Path dir, String rel, boolean fresh) throws IOException {
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = new ArrayList<>(s.toList());
    }
    List<LayerDiff.Node> nodes = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (Path p : entries) {
      String name = p.getFileName().toString();
      present.add(name);
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      Meta now = meta(p);
      Meta before = fresh ? null : paths.get(childRel);
      // A directory with another inode was removed and made again: nothing below it is old.
      boolean isNew = before == null || !now.sameType(before) || (now.dir() && now.ino != before.ino);
      if (now.dir()) {
        List<LayerDiff.Node> below = changedChildren(p, childRel, isNew);
        if (isNew || now.changedFrom(before) || !below.isEmpty()) {
          // Made where the lower root had something: overlayfs marks such a directory opaque.
          boolean opaque = isNew && before != null;
          nodes.add(new LayerDiff.Node(name, p, false, opaque, below));
        }
      } else if (isNew || now.changedFrom(before)) {
        nodes.add(new LayerDiff.Node(name, p, false, false, List.of()));
      }
    }
    if (!fresh) {
      for (String old : children.getOrDefault(rel, List.of())) {
        if (!present.contains(old)) {
          nodes.add(LayerDiff.Node.whiteout(old, dir));
        }
      }
    }
    // The order of an overlay upper dir's listing in LayerDiff: by path.
    nodes.sort((a, b) -> dir.resolve(a.name()).compareTo(dir.resolve(b.name())));
    return nodes;
  }
}
