package io.s2i.internal.image.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads an image from an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/}), as {@code skopeo copy ... oci:DIR:TAG}, buildah and
 * {@link OciLayoutWriter} write it. The image is chosen by its {@code org.opencontainers.image.ref.name}
 * annotation, or is the only one; an index inside is resolved to this machine's platform. Every
 * blob read is checked against its digest, and every layer against the config's diff id.
 */
public final class OciLayoutReader {
  private static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final ObjectMapper JSON = new ObjectMapper();

  private OciLayoutReader() {}

  /** A layout's blob or layer is not what its digest says. */
  public static final class CorruptBlobException extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptBlobException(String message) {
      super(message);
    }
  }

  /**
   * The image named {@code tag} (or the only image) of the layout {@code dir}. Layers that
   * {@code cached} knows by diff id are not read (its path is used); the others are decompressed
   * into {@code workDir}.
   *
   * @throws IOException when {@code dir} is not a layout, has no such image, or a blob is corrupt
   */
  public static ImageArchive read(Path dir, Optional<String> tag, Path workDir,
      Function<String, Optional<Path>> cached) throws IOException {
    if (!Files.isRegularFile(dir.resolve("oci-layout")) || !Files.isRegularFile(dir.resolve("index.json"))) {
      throw new IOException(dir + " is not an OCI image layout (it has no oci-layout and index.json)");
    }
    JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
    String manifestDigest = pick(index, tag, dir);
    JsonNode manifest = JSON.readTree(blob(dir, manifestDigest));
    String[] host = Platforms.host();
    for (int depth = 0; Platforms.isIndex(manifest.path("mediaType").asText()) || manifest.has("manifests"); depth++) {
      if (depth > 4) {
        throw new IOException(dir + ": indexes nested too deep");
      }
      manifestDigest = Platforms.select(manifest, host[0], host[1]);
      manifest = JSON.readTree(blob(dir, manifestDigest));
    }
    byte[] config = blob(dir, manifest.path("config").path("digest").asText());
    JsonNode diffIds = JSON.readTree(config).path("rootfs").path("diff_ids");
    JsonNode layers = manifest.path("layers");
    if (diffIds.size() != layers.size()) {
      throw new IOException("the image in " + dir + " has " + layers.size() + " layers but its config lists "
          + diffIds.size());
    }
    List<ImageArchive.Layer> out = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      String diffId = diffIds.get(i).asText();
      Optional<Path> have = cached.apply(diffId);
      if (have.isPresent()) {
        out.add(new ImageArchive.Layer(have.get(), diffId, Files.size(have.get())));
        continue;
      }
      String digest = layers.get(i).path("digest").asText();
      Path file = workDir.resolve("layer-" + i + ".tar");
      MessageDigest md = Digests.sha256();
      LayerCompression.Uncompressed u;
      try (InputStream in = new DigestInputStream(Files.newInputStream(blobPath(dir, digest)), md)) {
        u = LayerCompression.decompress(in, file);
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        throw new CorruptBlobException("layer blob " + digest + " in " + dir + " is corrupt: " + e.getMessage());
      }
      if (!Digests.of(md).equals(digest)) {
        throw new CorruptBlobException("layer blob " + digest + " in " + dir + " is corrupt: its content has digest "
            + Digests.of(md));
      }
      if (!u.diffId().equals(diffId)) {
        throw new CorruptBlobException("layer " + (i + 1) + " in " + dir + " has digest " + u.diffId()
            + " uncompressed but the image config says " + diffId);
      }
      out.add(new ImageArchive.Layer(file, diffId, u.size()));
    }
    return new ImageArchive(config, out);
  }

  private static String pick(JsonNode index, Optional<String> tag, Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    JsonNode manifests = index.path("manifests");
    for (JsonNode m : manifests) {
      String name = m.path("annotations").path(REF_NAME).asText(null);
      if (tag.isPresent() && tag.get().equals(name)) {
        return m.path("digest").asText();
      }
      if (name != null) {
        names.add(name);
      }
    }
    if (tag.isEmpty() && manifests.size() == 1) {
      return manifests.get(0).path("digest").asText();
    }
    String has = names.isEmpty() ? "no named images" : "images " + String.join(", ", names);
    throw new IOException(tag.isPresent()
        ? "the OCI layout " + dir + " has no image " + tag.get() + " (it has " + has + ")"
        : "the OCI layout " + dir + " holds " + manifests.size() + " images; name one as oci:DIR:TAG (it has "
            + has + ")");
  }

  private static byte[] blob(Path dir, String digest) throws IOException {
    byte[] bytes = Files.readAllBytes(blobPath(dir, digest));
    if (!Digests.of(bytes).equals(digest)) {
      throw new CorruptBlobException("blob " + digest + " in " + dir + " is corrupt: its content has digest "
          + Digests.of(bytes));
    }
    return bytes;
  }

  private static Path blobPath(Path dir, String digest) throws IOException {
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IOException("the OCI layout " + dir + " names a blob by an unsupported digest: " + digest);
    }
    Path p = dir.resolve("blobs").resolve("sha256").resolve(Digests.hex(digest));
    if (!Files.isRegularFile(p)) {
      throw new IOException("the OCI layout " + dir + " lacks blob " + digest);
    }
    return p;
  }
}
