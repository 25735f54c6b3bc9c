package io.s2i.engine.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** A tar of one path, named by its base name as {@code docker cp} writes it. */
final class TarOfPath {
  private TarOfPath() {}

  static void write(Path source, OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    add(tar, source, source.getFileName().toString());
    tar.finish();
    tar.flush();
  }

  private static void add(TarArchiveOutputStream tar, Path p, String name) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    boolean link = Files.isSymbolicLink(p);
    boolean regular = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    if (!dir && !link && !regular) {
      return; // devices and sockets: not file content a build copies out
    }
    TarArchiveEntry e = link ? new TarArchiveEntry(name, TarConstants.LF_SYMLINK)
        : new TarArchiveEntry(dir ? name + "/" : name);
    if (link) {
      e.setLinkName(Files.readSymbolicLink(p).toString());
    }
    e.setMode(mode);
    e.setUserId((Integer) a.get("uid"));
    e.setGroupId((Integer) a.get("gid"));
    e.setModTime((FileTime) a.get("lastModifiedTime"));
    if (regular) {
      e.setSize((Long) a.get("size"));
    }
    tar.putArchiveEntry(e);
    if (regular) {
      try (InputStream in = Files.newInputStream(p)) {
        in.transferTo(tar);
      }
    }
    tar.closeArchiveEntry();
    if (dir) {
      List<Path> children;
      try (Stream<Path> s = Files.list(p)) {
        children = s.sorted().toList();
      }
      for (Path c : children) {
        add(tar, c, name + "/" + c.getFileName());
      }
    }
  }
}
