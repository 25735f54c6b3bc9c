package io.s2i.internal.image.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a docker-archive ({@code docker save}) stream into a directory and reads its
 * {@code manifest.json}. Only the first image of the archive is read.
 */
public final class DockerArchiveReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DockerArchiveReader() {}

  /**
   * The id of the (first) image of a docker-archive file, without unpacking it: the digest of the
   * config that its {@code manifest.json} names.
   *
   * @throws IOException when the file is not a docker-archive
   */
  public static String imageId(Path file) throws IOException {
    java.util.Map<String, String> digests = new java.util.HashMap<>();
    byte[] manifest = null;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(file))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        // Configs and the manifest are small; layers are skipped unread.
        if (!entry.isFile() || entry.getSize() > (1 << 20)) {
          continue;
        }
        byte[] bytes = tar.readAllBytes();
        if (entry.getName().equals("manifest.json")) {
          manifest = bytes;
        } else {
          digests.put(entry.getName(), Digests.of(bytes));
        }
      }
    }
    if (manifest == null) {
      throw new IOException("not a docker-archive: it has no manifest.json");
    }
    JsonNode images = JSON.readTree(manifest);
    String config = images.path(0).path("Config").asText();
    if (!digests.containsKey(config)) {
      throw new IOException("docker-archive manifest.json names a config it does not hold: " + config);
    }
    return digests.get(config);
  }

  /**
   * Unpacks {@code archive} into {@code dir} (which must exist and be empty) and returns the image.
   *
   * @throws IOException when the stream is not a docker-archive
   */
  public static ImageArchive read(InputStream archive, Path dir) throws IOException {
    // docker save writes a layer that occurs twice once, and the second as a link to the first.
    List<Path[]> links = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isDirectory()) {
          continue;
        }
        Path target = dir.resolve(entry.getName()).normalize();
        if (!target.startsWith(dir) || target.equals(dir)) {
          throw new IOException("docker-archive entry escapes its directory: " + entry.getName());
        }
        if (entry.isSymbolicLink() || entry.isLink()) {
          Path base = entry.isSymbolicLink() ? target.getParent() : dir;
          Path source = base.resolve(entry.getLinkName()).normalize();
          if (!source.startsWith(dir)) {
            throw new IOException("docker-archive link escapes its directory: " + entry.getName());
          }
          links.add(new Path[] {target, source});
          continue;
        }
        if (!entry.isFile()) {
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    for (Path[] link : links) {
      if (Files.isRegularFile(link[1])) {
        Files.createDirectories(link[0].getParent());
        Files.deleteIfExists(link[0]);
        Files.createLink(link[0], link[1]);
      }
    }
    Path manifestFile = dir.resolve("manifest.json");
    if (!Files.isRegularFile(manifestFile)) {
      throw new IOException("not a docker-archive: it has no manifest.json");
    }
    JsonNode manifest = JSON.readTree(manifestFile.toFile());
    if (!manifest.isArray() || manifest.isEmpty()) {
      throw new IOException("docker-archive manifest.json lists no image");
    }
    JsonNode image = manifest.get(0);
    byte[] config = Files.readAllBytes(inside(dir, image.path("Config").asText()));
    // The config lists the diff ids in layer order; trusting them saves hashing every layer. A
    // mismatch in count means an unexpected archive, and then each layer is hashed.
    JsonNode diffIds = JSON.readTree(config).path("rootfs").path("diff_ids");
    boolean trust = diffIds.size() == image.path("Layers").size();
    List<ImageArchive.Layer> layers = new ArrayList<>();
    int i = 0;
    for (JsonNode layer : image.path("Layers")) {
      Path file = inside(dir, layer.asText());
      String diffId = trust ? diffIds.get(i).asText() : Digests.of(file);
      layers.add(new ImageArchive.Layer(file, diffId, Files.size(file)));
      i++;
    }
    return new ImageArchive(config, layers);
  }

  private static Path inside(Path dir, String name) throws IOException {
    Path p = dir.resolve(name).normalize();
    if (name.isEmpty() || !p.startsWith(dir) || !Files.isRegularFile(p)) {
      throw new IOException("docker-archive manifest.json names a missing file: " + name);
    }
    return p;
  }
}
