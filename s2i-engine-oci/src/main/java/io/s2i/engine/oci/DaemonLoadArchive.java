package io.s2i.engine.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.image.layout.Digests;
import io.s2i.image.layout.ImageArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A docker-archive for {@code docker load} into a daemon that already has the image's first
 * layers (those of the builder it was committed from): the manifest lists every layer, but only
 * the files of the others are written. The daemon's loader skips a layer whose chain it already
 * has without reading its file, so the builder's layers are not streamed again for every build.
 * Only for loading: it is not a complete archive.
 */
final class DaemonLoadArchive {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DaemonLoadArchive() {}

  static void write(ImageArchive image, int layersPresent, Optional<String> repoTag, OutputStream out)
      throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    String configName = Digests.hex(image.id()) + ".json";
    bytes(tar, configName, image.config());
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
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(layer.size());
        tar.putArchiveEntry(e);
        try (InputStream in = Files.newInputStream(layer.file())) {
          in.transferTo(tar);
        }
        tar.closeArchiveEntry();
      }
    }
    bytes(tar, "manifest.json", JSON.writeValueAsBytes(JSON.createArrayNode().add(entry)));
    tar.finish();
    tar.flush();
  }

  private static void bytes(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(data.length);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  /** Unused-path guard for callers that want a file: writes to {@code file}. */
  static void write(ImageArchive image, int layersPresent, Optional<String> repoTag, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(image, layersPresent, repoTag, out);
    }
  }
}
