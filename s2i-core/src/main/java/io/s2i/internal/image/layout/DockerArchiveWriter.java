package io.s2i.internal.image.layout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an image as a docker-archive tarball that {@code docker load} and
 * {@code skopeo ... docker-archive:FILE} read: {@code manifest.json}, {@code <config-hex>.json}
 * and {@code <diff-id-hex>/layer.tar}. Entries have fixed times, so the same image gives the same
 * bytes. The file is written beside its final name and moved there when complete.
 */
public final class DockerArchiveWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DockerArchiveWriter() {}

  /** Writes {@code image} to {@code file}; {@code repoTag} (such as {@code app:1}) names it for {@code docker load}. */
  public static void write(ImageArchive image, Path file, Optional<String> repoTag) throws IOException {
    write(image, file, repoTag, 0);
  }

  /**
   * As {@link #write(ImageArchive, Path, Optional)}, for {@code docker load} into a daemon that
   * already has the image's first {@code layersPresent} layers (those of the image it was built
   * from): the manifest lists every layer, but only the files of the others are written. The
   * daemon skips a layer whose chain it has without reading its file. Such an archive is only for
   * loading: it is not complete.
   */
  public static void write(ImageArchive image, Path file, Optional<String> repoTag, int layersPresent)
      throws IOException {
    Path target = file.toAbsolutePath().normalize();
    if (Files.isDirectory(target)) {
      throw new IOException(target + " is a directory");
    }
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        write(image, out, repoTag, layersPresent);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * As {@link #write(ImageArchive, Path, Optional, int)}, to a stream (such as a {@code docker load}
   * request) that is left open.
   */
  public static void write(ImageArchive image, OutputStream out, Optional<String> repoTag, int layersPresent)
      throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(new io.s2i.internal.archive.NonClosingOutputStream(out));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    String configName = Digests.hex(image.id()) + ".json";
    putBytes(tar, configName, image.config());
    ObjectNode entry = JSON.createObjectNode();
    entry.put("Config", configName);
    ArrayNode tags = entry.putArray("RepoTags");
    repoTag.ifPresent(tags::add);
    ArrayNode layers = entry.putArray("Layers");
    Set<String> written = new HashSet<>();
    for (int i = 0; i < image.layers().size(); i++) {
      ImageArchive.Layer layer = image.layers().get(i);
      String name = Digests.hex(layer.diffId()) + "/layer.tar";
      layers.add(name);
      if (i >= layersPresent && written.add(name)) {
        putFile(tar, name, layer.file(), layer.size());
      }
    }
    ArrayNode manifest = JSON.createArrayNode().add(entry);
    putBytes(tar, "manifest.json", JSON.writeValueAsBytes(manifest));
    tar.finish();
    tar.close();
  }

  private static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(size);
    e.setMode(0644);
    e.setUserName("");
    e.setGroupName("");
    e.setLastModifiedTime(FileTime.from(Instant.EPOCH));
    return e;
  }

  private static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    tar.putArchiveEntry(entry(name, bytes.length));
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static void putFile(TarArchiveOutputStream tar, String name, Path file, long size) throws IOException {
    tar.putArchiveEntry(entry(name, size));
    try (InputStream in = Files.newInputStream(file)) {
      in.transferTo(tar);
    }
    tar.closeArchiveEntry();
  }
}
