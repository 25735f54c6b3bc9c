package io.s2i.internal.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A host directory written into a tar under a prefix, in sorted order, straight from disk.
 * Symlinks are followed unless kept; a broken link is always kept as a link (as upstream). Paths
 * the filter rejects are left out entirely (upstream leaves empty files behind; we don't).
 *
 * @param root the directory
 * @param prefix the archive path of the root, such as {@code src}
 * @param excluded relative paths (forward slashes) to leave out, with everything below them
 * @param keepSymlinks whether symlinks stay symlinks
 */
public record DirectoryTree(Path root, String prefix, Predicate<String> excluded, boolean keepSymlinks) {

  /** What a walk of the tree meets, in walk order: a directory before what it holds. */
  interface Visitor {
    /** A directory; {@code rel} is its path under the root, {@code name} its archive path. */
    void directory(String rel, String name, UnixAttributes attrs) throws IOException;

    /** A regular file (or a followed link to one), with its own attributes. */
    void file(String rel, String name, Path file, UnixAttributes attrs) throws IOException;

    /** A symlink kept as a link. */
    void symlink(String rel, String name, String target, UnixAttributes attrs) throws IOException;
  }

  void write(TarArchiveOutputStream tar, Consumer<String> warnings) throws IOException {
    walk(new Visitor() {
      @Override
      public void directory(String rel, String name, UnixAttributes attrs) throws IOException {
        TarEntries.directory(tar, name, attrs.permissions(), attrs.mtime());
      }

      @Override
      public void file(String rel, String name, Path file, UnixAttributes attrs) throws IOException {
        try {
          TarEntries.file(tar, name, file, attrs.size(), attrs.stamp(), attrs.permissions(), attrs.mtime());
        } catch (java.nio.file.AccessDeniedException e) {
          // Raised on opening, before anything of the entry was written.
          warnings.accept("skipping unreadable file " + file);
        }
      }

      @Override
      public void symlink(String rel, String name, String target, UnixAttributes attrs) throws IOException {
        TarEntries.symlink(tar, name, target, attrs.mtime());
      }
    }, warnings);
  }

  /** Walks the tree in sorted order, leaving out what the filter excludes. */
  void walk(Visitor visitor, Consumer<String> warnings) throws IOException {
    Set<Object> ancestors = new HashSet<>();
    ancestors.add(UnixAttributes.read(root).key());
    walk(visitor, root, "", ancestors, warnings, false);
  }

  /** {@code outside}: {@code dir} was reached through a link that leads out of the root. */
  private void walk(Visitor visitor, Path dir, String rel, Set<Object> ancestors, Consumer<String> warnings,
      boolean outside) throws IOException {
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = new ArrayList<>(list.sorted().toList());
    } catch (IOException e) {
      warnings.accept("skipping unreadable directory " + dir + ": " + e.getMessage());
      return;
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      if (excluded.test(childRel)) {
        continue;
      }
      String archiveName = prefix.isEmpty() ? childRel : prefix + "/" + childRel;
      UnixAttributes own = UnixAttributes.read(child, LinkOption.NOFOLLOW_LINKS);
      if (own.isSymbolicLink() && (keepSymlinks || !Files.exists(child))) {
        visitor.symlink(childRel, archiveName, Files.readSymbolicLink(child).toString(), own);
        continue;
      }
      UnixAttributes attrs = own.isSymbolicLink() ? UnixAttributes.read(child) : own;
      boolean leadsOut = outside;
      if (own.isSymbolicLink() && !outside) {
        leadsOut = leadsOut(child, childRel, warnings);
      }
      if (attrs.isDirectory()) {
        Object key = attrs.key();
        if (!ancestors.add(key)) {
          warnings.accept("skipping " + child + ": symlink loop");
          continue;
        }
        visitor.directory(childRel, archiveName, attrs);
        walk(visitor, child, childRel, ancestors, warnings, leadsOut);
        ancestors.remove(key);
      } else if (attrs.isRegularFile()) {
        visitor.file(childRel, archiveName, child, attrs);
      } else {
        warnings.accept("skipping " + child + ": not a regular file, directory or symlink");
      }
    }
  }

  /**
   * Whether the followed link {@code child} leads out of the root, warning once when it does: the
   * build then takes in whatever the link names on this machine (upstream's rule for a local
   * directory, which only a warning can make visible).
   */
  private boolean leadsOut(Path child, String rel, Consumer<String> warnings) throws IOException {
    Path real = child.toRealPath();
    if (real.startsWith(root.toRealPath())) {
      return false;
    }
    warnings.accept("the symlink " + rel + " -> " + Files.readSymbolicLink(child) + " leads outside the source"
        + " (to " + real + "); what it names on this machine is built in its place. Keep links as links"
        + " with source.keepSymlinks");
    return true;
  }
}
