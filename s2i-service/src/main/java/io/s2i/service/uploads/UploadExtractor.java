package io.s2i.service.uploads;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks an uploaded archive (tar, tar.gz or zip, told apart by their first bytes) into a
 * directory, treating it as hostile: absolute names, {@code ..}, links that lead out of the
 * directory, device nodes and archives over the entry or size limits are refused, and nothing is
 * written outside the directory.
 */
public final class UploadExtractor {
  private final long maxBytes;
  private final int maxEntries;

  /** An extractor with these limits on the unpacked size and the number of entries. */
  public UploadExtractor(long maxBytes, int maxEntries) {
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
  }

  /** Places a single uploaded file as {@code name} in {@code dir}. */
  public static void placeFile(Path upload, Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Files.copy(upload, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Unpacks {@code archive} into {@code dir} (created when missing).
   *
   * @throws UploadException naming the entry refused and why
   */
  public void extract(Path archive, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path root = dir.toRealPath();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
         ArchiveInputStream<?> in = open(raw)) {
      long total = 0;
      int entries = 0;
      ArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (++entries > maxEntries) {
          throw new UploadException("the archive has more than " + maxEntries + " entries");
        }
        String name = e.getName();
        Path target = safeTarget(root, name);
        if (target == null) {
          continue; // the archive's root itself
        }
        if (e instanceof TarArchiveEntry t && (t.isCharacterDevice() || t.isBlockDevice() || t.isFIFO())) {
          throw new UploadException("the archive holds a device or pipe: " + name);
        }
        if (e instanceof TarArchiveEntry t && (t.isSymbolicLink() || t.isLink())) {
          Path linkTarget = t.isSymbolicLink()
              ? target.getParent().resolve(t.getLinkName()).normalize()
              : safeTarget(root, t.getLinkName());
          if (linkTarget == null || !linkTarget.startsWith(root) || t.getLinkName().startsWith("/")) {
            throw new UploadException("the archive's link " + name + " points outside it: " + t.getLinkName());
          }
          Files.createDirectories(target.getParent());
          Files.deleteIfExists(target);
          if (t.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(t.getLinkName()));
          } else {
            Files.createLink(target, linkTarget);
          }
          continue;
        }
        if (e instanceof ZipArchiveEntry z && z.isUnixSymlink()) {
          throw new UploadException("the zip archive holds a symbolic link: " + name);
        }
        checkParents(root, target);
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        long written = 0;
        try (var out = Files.newOutputStream(target)) {
          byte[] buf = new byte[64 * 1024];
          int n;
          while ((n = in.read(buf)) > 0) {
            written += n;
            if (total + written > maxBytes) {
              throw new UploadException("the archive unpacks to more than " + maxBytes + " bytes");
            }
            out.write(buf, 0, n);
          }
        }
        total += written;
        int mode = e instanceof TarArchiveEntry t ? t.getMode()
            : e instanceof ZipArchiveEntry z ? z.getUnixMode() : 0;
        if ((mode & 0111) != 0) {
          Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(target));
          perms.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
              PosixFilePermission.OTHERS_EXECUTE));
          Files.setPosixFilePermissions(target, perms);
        }
      }
    }
  }

  private static ArchiveInputStream<?> open(InputStream in) throws IOException {
    in.mark(4);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new TarArchiveInputStream(new BufferedInputStream(new GzipCompressorInputStream(in)));
    }
    if (b0 == 'P' && b1 == 'K') {
      return new ZipArchiveInputStream(in);
    }
    return new TarArchiveInputStream(in);
  }

  private static Path safeTarget(Path root, String name) throws UploadException {
    if (name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
      throw new UploadException("the archive holds an absolute or odd path: " + name);
    }
    String clean = name;
    while (clean.startsWith("./")) {
      clean = clean.substring(2);
    }
    if (clean.isEmpty() || clean.equals(".") || clean.equals("./")) {
      return null;
    }
    for (String part : clean.split("/")) {
      if (part.equals("..")) {
        throw new UploadException("the archive holds a path with '..': " + name);
      }
    }
    Path target = root.resolve(clean).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new UploadException("the archive holds a path outside it: " + name);
    }
    return target;
  }

  /** No parent of {@code target} may be a link (an earlier entry could point one out of the root). */
  private static void checkParents(Path root, Path target) throws UploadException {
    for (Path p = target.getParent(); p != null && !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new UploadException("the archive writes through the link " + root.relativize(p));
      }
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new UploadException("the archive writes below the file " + root.relativize(p));
      }
    }
  }

  /** An archive refused. */
  public static final class UploadException extends IOException {
    private static final long serialVersionUID = 1L;

    /** With a one-line reason. */
    public UploadException(String message) {
      super(message);
    }
  }
}
