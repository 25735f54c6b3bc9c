package io.s2i.internal.source.binary;

import io.s2i.api.ArchiveLimits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import io.s2i.internal.source.SourceFetchException;

/**
 * Unpacks an archive given as the source into an empty directory, treating it as hostile: an
 * entry with an absolute path or a {@code ..} component, a link whose target leaves the directory,
 * an entry written through a link, a device node or FIFO, and more entries or bytes than the
 * limits are refused with the entry named, before anything is written for it. Only the directory
 * is ever written (the caller removes it when this fails). Modes are kept without set-id and
 * sticky bits, times are kept, owners are not (the files belong to whoever runs s2i).
 */
public final class ArchiveUnpacker {
  private static final int MODE_BITS = 0777;

  private final ArchiveLimits limits;
  private final String shown;
  private Path root;
  private long entries;
  private long bytes;
  /** Directory modes and times, applied at the end so that read-only directories take their files first. */
  private final List<Runnable> directoryFixes = new ArrayList<>();

  /**
   * @param limits the most entries and bytes accepted
   * @param shown the archive's name in messages
   */
  public ArchiveUnpacker(ArchiveLimits limits, String shown) {
    this.limits = limits;
    this.shown = shown;
  }

  /** Unpacks {@code archive}, of the {@link FileKind#unpackable() unpackable} {@code kind}, into {@code target}. */
  public void unpack(Path archive, FileKind kind, Path target) throws IOException, SourceFetchException {
    Files.createDirectories(target);
    this.root = target.toRealPath();
    switch (kind) {
      case ZIP, JAR, WEB_ARCHIVE -> unpackZip(archive);
      case TAR, TAR_GZIP, TAR_BZIP2, TAR_ZSTD -> unpackTar(archive, kind);
      default -> throw new IllegalArgumentException(kind + " is not an archive");
    }
    for (int i = directoryFixes.size() - 1; i >= 0; i--) {
      directoryFixes.get(i).run();
    }
  }

  private void unpackTar(Path archive, FileKind kind) throws IOException, SourceFetchException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
         InputStream in = FileKind.decompress(kind, raw);
         TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName();
        count(name);
        if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
          throw refuse("entry " + name + " is a " + (e.isFIFO() ? "FIFO" : "device node"),
              "leave device nodes and FIFOs out of the archive");
        }
        int mode = e.getMode() & MODE_BITS;
        FileTime time = FileTime.from(e.getModTime().toInstant());
        if (e.isDirectory()) {
          directory(name, mode, time);
        } else if (e.isSymbolicLink()) {
          symlink(name, e.getLinkName());
        } else if (e.isLink()) {
          hardLink(name, e.getLinkName());
        } else if (e.isFile()) {
          file(name, tar, mode, time);
        } else {
          throw refuse("entry " + name + " is of a type s2i does not unpack",
              "pack only files, directories and links");
        }
      }
    } catch (SourceFetchException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw refuse("it could not be read as " + kind.label() + ": " + why(e),
          "check that the file is a complete, valid archive");
    }
  }

  private void unpackZip(Path archive) throws IOException, SourceFetchException {
    try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
      for (ZipArchiveEntry e : java.util.Collections.list(zip.getEntriesInPhysicalOrder())) {
        String name = e.getName();
        count(name);
        int unixMode = e.getUnixMode();
        int mode = unixMode == 0 ? (e.isDirectory() ? 0755 : 0644) : unixMode & MODE_BITS;
        FileTime time = FileTime.fromMillis(e.getTime() < 0 ? 0 : e.getTime());
        if (e.isUnixSymlink()) {
          symlink(name, zip.getUnixSymlink(e));
        } else if (e.isDirectory()) {
          directory(name, mode, time);
        } else if (unixMode != 0 && (unixMode & 0170000) != 0 && (unixMode & 0170000) != 0100000) {
          throw refuse("entry " + name + " is a device node, FIFO or socket",
              "pack only files, directories and links");
        } else {
          try (InputStream in = zip.getInputStream(e)) {
            file(name, in, mode, time);
          }
        }
      }
    } catch (SourceFetchException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw refuse("it could not be read as zip: " + why(e),
          "check that the file is a complete, valid archive");
    }
  }

  private void count(String name) throws SourceFetchException {
    if (++entries > limits.maxEntries()) {
      throw refuse("it has more than " + limits.maxEntries() + " entries (at " + name + ")",
          "raise the limit (S2I_ARCHIVE_MAX_ENTRIES) if the archive is trusted");
    }
  }

  private void directory(String name, int mode, FileTime time) throws IOException, SourceFetchException {
    Path dir = resolve(name);
    if (dir.equals(root)) {
      return;
    }
    parents(dir);
    if (Files.isSymbolicLink(dir) || Files.isRegularFile(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(dir);
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(dir);
    }
    directoryFixes.add(() -> {
      try {
        Files.setPosixFilePermissions(dir, permissions(mode | 0700));
        Files.setLastModifiedTime(dir, time);
      } catch (IOException ignored) {
        // a mode or time that cannot be set is not worth failing the build for
      }
    });
  }

  private void file(String name, InputStream content, int mode, FileTime time)
      throws IOException, SourceFetchException {
    Path file = resolve(name);
    parents(file);
    replaceable(file, name);
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = content.read(buf)) > 0) {
        bytes += n;
        if (bytes > limits.maxBytes()) {
          throw refuse("it unpacks to more than " + limits.maxBytes() + " bytes (at " + name + ")",
              "raise the limit (S2I_ARCHIVE_MAX_BYTES) if the archive is trusted");
        }
        out.write(buf, 0, n);
      }
    }
    Files.setPosixFilePermissions(file, permissions(mode | 0600));
    Files.setLastModifiedTime(file, time);
  }

  private void symlink(String name, String target) throws IOException, SourceFetchException {
    Path link = resolve(name);
    if (target == null || target.isEmpty() || target.indexOf('\0') >= 0) {
      throw refuse("link " + name + " has no target", "remove the link from the archive");
    }
    if (target.startsWith("/")) {
      throw refuse("link " + name + " points to the absolute path " + target,
          "make the link relative and inside the archive, or remove it");
    }
    Path resolved = link.getParent().resolve(target).normalize();
    if (!resolved.startsWith(root)) {
      throw refuse("link " + name + " points outside the source (" + target + ")",
          "make the link point inside the archive, or remove it");
    }
    parents(link);
    replaceable(link, name);
    Files.createSymbolicLink(link, link.getFileSystem().getPath(target));
  }

  private void hardLink(String name, String target) throws IOException, SourceFetchException {
    Path link = resolve(name);
    Path existing = resolve(target);
    if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
      throw refuse("hard link " + name + " names " + target + ", which is not a file unpacked before it",
          "pack the file before its hard links");
    }
    parents(link);
    replaceable(link, name);
    Files.createLink(link, existing);
  }

  /** The path an entry name gives under the root; absolute names and {@code ..} are refused. */
  private Path resolve(String name) throws SourceFetchException {
    if (name == null || name.indexOf('\0') >= 0) {
      throw refuse("an entry has no usable name", "repack the archive");
    }
    if (name.startsWith("/")) {
      throw refuse("entry " + name + " has an absolute path",
          "pack paths relative to the application's root (tar -C DIR .)");
    }
    Path p = root;
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw refuse("entry " + name + " climbs out with ..",
            "pack paths relative to the application's root (tar -C DIR .)");
      }
      p = p.resolve(part);
    }
    return p;
  }

  /**
   * Creates the parent directories of {@code path}; none of them may be a link, or the entry would
   * be written wherever the link points.
   */
  private void parents(Path path) throws IOException, SourceFetchException {
    Path parent = path.getParent();
    List<Path> chain = new ArrayList<>();
    for (Path p = parent; p != null && !p.equals(root); p = p.getParent()) {
      chain.add(0, p);
    }
    for (Path p : chain) {
      if (Files.isSymbolicLink(p)) {
        throw refuse("entry " + root.relativize(path) + " would be written through the link "
            + root.relativize(p), "do not pack files below a link");
      }
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(p);
      } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw refuse("entry " + root.relativize(path) + " lies below the file " + root.relativize(p),
            "repack the archive");
      }
    }
  }

  /** A later entry replaces an earlier file or link of the same name, as tar does; never a directory. */
  private void replaceable(Path path, String name) throws IOException, SourceFetchException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw refuse("entry " + name + " would replace a directory", "repack the archive");
    }
    try {
      Files.deleteIfExists(path);
    } catch (FileAlreadyExistsException e) {
      throw refuse("entry " + name + " cannot replace what is there", "repack the archive");
    }
  }

  private static String why(Exception e) {
    if (e instanceof java.io.EOFException) {
      return "it ends early";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private SourceFetchException refuse(String problem, String fix) {
    return new SourceFetchException("refused archive " + shown + ": " + problem, fix);
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(order[i]);
      }
    }
    return set;
  }

}
