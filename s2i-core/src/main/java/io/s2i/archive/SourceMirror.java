package io.s2i.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The mirror records of a source tree, taken ahead of the build step that needs them: an unchanged
 * rebuild scans its sources while the builder image is still being inspected, before the scripts
 * (which may move files out of the tree) are known. A later mirror-only archive of the same tree
 * replays the records, leaving out what its own filter excludes, instead of walking the tree again.
 */
public final class SourceMirror {
  private final DirectoryTree tree;
  private final List<Entry> entries;

  private record Entry(String relativePath, byte[] line) {}

  private SourceMirror(DirectoryTree tree, List<Entry> entries) {
    this.tree = tree;
    this.entries = entries;
  }

  /** Walks {@code tree} as a mirror-only archive would; {@code hashes} supplies and learns file digests. */
  public static SourceMirror scan(DirectoryTree tree, ContentHashes hashes) throws IOException {
    List<Entry> entries = new ArrayList<>();
    String prefix = tree.prefix().isEmpty() ? "" : tree.prefix() + "/";
    MirrorRecords collecting = new MirrorRecords(OutputStream.nullOutputStream()) {
      @Override
      void record(String name, byte[] line) {
        String rel = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
        entries.add(new Entry(rel.endsWith("/") ? rel.substring(0, rel.length() - 1) : rel, line));
      }
    };
    EntryTarStream tar = TarEntries.open(OutputStream.nullOutputStream());
    tar.mirrorTo(collecting, hashes, true);
    tree.write(tar, w -> { });
    return new SourceMirror(tree, List.copyOf(entries));
  }

  /**
   * Whether these records can stand for {@code other}'s: the same directory under the same prefix
   * with the same symlink handling. Its filter must exclude at least what the scanned tree's did
   * (the callers build both from the same exclude pattern and ignore file).
   */
  public boolean covers(DirectoryTree other) {
    return tree.root().equals(other.root()) && tree.prefix().equals(other.prefix())
        && tree.keepSymlinks() == other.keepSymlinks();
  }

  /**
   * Writes the records {@code other} keeps: those its filter lets through, and nothing below a
   * directory it leaves out (the records are in walk order: a directory before what it holds).
   */
  void replay(DirectoryTree other, MirrorRecords out) throws IOException {
    Predicate<String> excluded = other.excluded();
    String skipped = null;
    for (Entry e : entries) {
      String path = e.relativePath();
      if (skipped != null && path.startsWith(skipped)) {
        continue;
      }
      if (excluded.test(path)) {
        skipped = path + "/";
        continue;
      }
      out.record(path, e.line());
    }
  }
}
