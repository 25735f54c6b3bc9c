package io.s2i.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarConstants;

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

  /**
   * Walks {@code tree} as a mirror-only archive would, making the same records without tar entries
   * (this runs on every unchanged rebuild, in a JVM that has not compiled the tar code yet);
   * {@code hashes} supplies and learns file digests.
   */
  public static SourceMirror scan(DirectoryTree tree, ContentHashes hashes) throws IOException {
    List<Entry> entries = new ArrayList<>();
    byte[] buffer = new byte[65536];
    tree.walk(new DirectoryTree.Visitor() {
      @Override
      public void directory(String rel, String name, UnixAttributes attrs) {
        entries.add(new Entry(rel, MirrorRecords.line(name + "/", (char) TarConstants.LF_DIR, attrs.permissions(), "",
            null)));
      }

      @Override
      public void file(String rel, String name, Path file, UnixAttributes attrs) throws IOException {
        FileStamp stamp = attrs.stamp();
        byte[] digest = hashes.known(file, stamp).orElse(null);
        if (digest == null) {
          try {
            digest = contentDigest(file, attrs.size(), buffer);
          } catch (AccessDeniedException e) {
            return; // an archive of the tree leaves it out too
          }
          hashes.learned(file, stamp, digest);
        }
        entries.add(new Entry(rel, MirrorRecords.line(name, (char) TarConstants.LF_NORMAL, attrs.permissions(), "",
            digest)));
      }

      @Override
      public void symlink(String rel, String name, String target, UnixAttributes attrs) {
        entries.add(new Entry(rel, MirrorRecords.line(name, (char) TarConstants.LF_SYMLINK, 0777, target, null)));
      }
    }, w -> { });
    return new SourceMirror(tree, List.copyOf(entries));
  }

  private static byte[] contentDigest(Path file, long size, byte[] buffer) throws IOException {
    MessageDigest sha256 = EntryTarStream.sha256();
    long read = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; read += n) {
        sha256.update(buffer, 0, n);
      }
    }
    if (read != size) {
      throw new IOException(file + " changed size while it was being archived");
    }
    return sha256.digest();
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
