package io.s2i.internal.image.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Writes an image into an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/}), as {@code skopeo copy ... oci:DIR:TAG} does. Layers are gzip-compressed
 * by {@link LayerCompression}, so the same image always gives the same manifest digest.
 *
 * <p>A new directory is assembled beside its final place and moved there when complete; into an
 * existing layout only blobs are added before {@code index.json} is replaced in one move, so a
 * failure never leaves a half-written layout.
 */
public final class OciLayoutWriter {
  public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
  public static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
  private static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final ObjectMapper JSON = new ObjectMapper();

  private OciLayoutWriter() {}

  /** The digest and size of the manifest written. */
  public record Written(String manifestDigest, long manifestSize) {}

  /**
   * Writes {@code image} into {@code dir}, naming it {@code tag} in the index when given.
   *
   * @throws IOException when {@code dir} exists and is neither empty nor a layout, or on I/O errors
   */
  public static Written write(ImageArchive image, Path dir, Optional<String> tag) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    boolean existingLayout = Files.isRegularFile(target.resolve("oci-layout"));
    if (Files.exists(target) && !existingLayout && !isEmptyDirectory(target)) {
      throw new IOException(target + " exists and is not an OCI image layout");
    }
    if (existingLayout) {
      return writeInto(image, target, tag, readIndex(target));
    }
    Files.createDirectories(target.getParent());
    Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
    try {
      Written written = writeInto(image, staging, tag, null);
      if (Files.exists(target)) {
        Files.delete(target); // an empty directory the user made
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return written;
    } finally {
      if (Files.exists(staging)) {
        io.s2i.internal.fs.FileTrees.delete(staging);
      }
    }
  }

  private static Written writeInto(ImageArchive image, Path root, Optional<String> tag, ObjectNode index)
      throws IOException {
    Path blobs = Files.createDirectories(root.resolve("blobs").resolve("sha256"));
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_TYPE);
    byte[] config = image.config();
    manifest.set("config", descriptor(CONFIG_TYPE, writeBlob(blobs, config), config.length));
    ArrayNode layers = manifest.putArray("layers");
    for (ImageArchive.Layer layer : image.layers()) {
      Blob blob = writeCompressed(blobs, layer.file());
      layers.add(descriptor(LAYER_TYPE, blob.digest(), blob.size()));
    }
    byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
    String manifestDigest = writeBlob(blobs, manifestBytes);

    ObjectNode newIndex = JSON.createObjectNode();
    newIndex.put("schemaVersion", 2);
    newIndex.put("mediaType", "application/vnd.oci.image.index.v1+json");
    ArrayNode manifests = newIndex.putArray("manifests");
    if (index != null) {
      for (JsonNode m : index.path("manifests")) {
        String name = m.path("annotations").path(REF_NAME).asText(null);
        boolean replaced = tag.isPresent() ? tag.get().equals(name)
            : name == null && manifestDigest.equals(m.path("digest").asText());
        if (!replaced) {
          manifests.add(m);
        }
      }
    }
    ObjectNode entry = descriptor(MANIFEST_TYPE, manifestDigest, manifestBytes.length);
    tag.ifPresent(t -> entry.putObject("annotations").put(REF_NAME, t));
    manifests.add(entry);
    LayoutFiles.writeAtomically(root.resolve("oci-layout"),
        "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    LayoutFiles.writeAtomically(root.resolve("index.json"), JSON.writeValueAsBytes(newIndex));
    return new Written(manifestDigest, manifestBytes.length);
  }

  private static ObjectNode readIndex(Path root) throws IOException {
    JsonNode index = JSON.readTree(root.resolve("index.json").toFile());
    if (!(index instanceof ObjectNode o)) {
      throw new IOException(root.resolve("index.json") + " is not a JSON object");
    }
    return o;
  }

  private static ObjectNode descriptor(String mediaType, String digest, long size) {
    ObjectNode d = JSON.createObjectNode();
    d.put("mediaType", mediaType);
    d.put("digest", digest);
    d.put("size", size);
    return d;
  }

  private static String writeBlob(Path blobs, byte[] bytes) throws IOException {
    String digest = Digests.of(bytes);
    Path file = blobs.resolve(Digests.hex(digest));
    if (!Files.exists(file)) {
      LayoutFiles.writeAtomically(file, bytes);
    }
    return digest;
  }

  private record Blob(String digest, long size) {}

  private static Blob writeCompressed(Path blobs, Path layer) throws IOException {
    Path tmp = Files.createTempFile(blobs, ".blob-", ".tmp");
    try {
      LayerCompression.Compressed c;
      try (OutputStream file = Files.newOutputStream(tmp)) {
        c = LayerCompression.compress(layer, file);
      }
      Files.move(tmp, blobs.resolve(Digests.hex(c.digest())), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return new Blob(c.digest(), c.size());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
