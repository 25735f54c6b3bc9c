package io.s2i.internal.image.layout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small images made on disk for the layout tests. */
final class LayoutTestImages {
  private LayoutTestImages() {}

  /** A layer tar with a directory, a file and a symlink, all with time {@code mtime}. */
  static Path layer(Path file, Instant mtime, String content) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry dir = new TarArchiveEntry("app/");
      dir.setLastModifiedTime(FileTime.from(mtime));
      dir.setUserId(1001);
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry f = new TarArchiveEntry("app/hello.txt");
      f.setSize(bytes.length);
      f.setMode(0100755);
      f.setUserId(1001);
      f.setLastModifiedTime(FileTime.from(mtime));
      f.addPaxHeader("SCHILY.xattr.user.test", "kept");
      tar.putArchiveEntry(f);
      tar.write(bytes);
      tar.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("app/link", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("hello.txt");
      link.setLastModifiedTime(FileTime.from(mtime));
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    return file;
  }

  /** An image of the given layer files with a Docker-style config created at {@code created}. */
  static ImageArchive image(Instant created, Path... layers) throws IOException {
    StringBuilder diffIds = new StringBuilder();
    List<ImageArchive.Layer> list = new java.util.ArrayList<>();
    for (Path l : layers) {
      String d = Digests.of(l);
      list.add(new ImageArchive.Layer(l, d, Files.size(l)));
      diffIds.append(diffIds.length() == 0 ? "" : ",").append('"').append(d).append('"');
    }
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"run\"]},"
        + "\"container\":\"0123abcd\",\"container_config\":{\"Hostname\":\"0123abcd\"},"
        + "\"created\":\"" + created + "\",\"history\":[{\"created\":\"" + created
        + "\",\"created_by\":\"assemble\"}],\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}";
    return new ImageArchive(config.getBytes(StandardCharsets.UTF_8), list);
  }
}
