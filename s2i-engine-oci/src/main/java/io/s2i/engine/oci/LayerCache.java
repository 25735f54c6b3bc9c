package io.s2i.engine.oci;

import io.s2i.internal.fs.FileTrees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.internal.image.layout.Digests;
import io.s2i.internal.image.layout.ImageArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The engine's content store, shared by every build of the user:
 *
 * <ul>
 *   <li>{@code blobs/sha256/HEX}: image configs (by image id) and uncompressed layer tars (by
 *       diff id), each written beside and renamed into place;
 *   <li>{@code layers/HEX}: a layer unpacked as an overlayfs lower dir, by diff id, unpacked into
 *       a temporary directory after checking the digest and renamed, so a reader only ever sees a
 *       complete layer and two builds unpacking the same layer both succeed;
 *   <li>{@code index.json}: image names to image ids, changed under {@link CacheLock};
 *   <li>the tars in {@code blobs} are also what a copied container root is made of
 *       ({@link #applyLayer}), which needs no whiteout devices or xattrs on the cache's disk;
 *   <li>{@code tmp/} and {@code containers/}: per-operation directories, removed when done.
 * </ul>
 *
 * <p>Builds never delete from {@code blobs} or {@code layers}; only a prune does ({@link CacheGc}),
 * and never what an open engine holds: every image resolved and every blob written is first added
 * to the engine's lease ({@link CacheLeases}), under a lock that a prune takes exclusively. An
 * image's last use is the time of its config blob, set each time it is resolved.
 */
final class LayerCache implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path root;
  private final Path blobs;
  private final Path layers;
  private final Path tmp;
  private final Path containers;
  private final CacheLock lock;
  private final CacheLeases leases;

  LayerCache(Path root) throws IOException {
    this.root = root;
    this.blobs = Files.createDirectories(root.resolve("blobs").resolve("sha256"));
    this.layers = Files.createDirectories(root.resolve("layers"));
    this.tmp = Files.createDirectories(root.resolve("tmp"));
    this.containers = Files.createDirectories(root.resolve("containers"));
    this.lock = new CacheLock(root.resolve("lock"));
    this.leases = new CacheLeases(root);
  }

  CacheLeases leases() {
    return leases;
  }

  Path blobsDir() {
    return blobs;
  }

  Path layersDir() {
    return layers;
  }

  /** Ends this engine's lease on what it used. */
  @Override
  public void close() {
    leases.close();
  }

  Path root() {
    return root;
  }

  Path containers() {
    return containers;
  }

  /** A new empty directory for one operation; the caller removes it. */
  Path tempDir(String prefix) throws IOException {
    return Files.createTempDirectory(tmp, prefix);
  }

  Path blob(String digest) {
    return blobs.resolve(Digests.hex(digest));
  }

  /**
   * The image id {@code ref} names: an id ({@code sha256:HEX} or HEX) or a name in the index;
   * empty unless the config and every layer are in the cache.
   */
  Optional<String> resolve(String ref) throws IOException {
    String hex = ref.startsWith("sha256:") ? ref.substring(7) : ref;
    return leases.shared(() -> {
      String id = hex.matches("[0-9a-f]{64}") ? "sha256:" + hex : readIndex().get(ImageNames.normalise(ref));
      Optional<List<String>> layers = id == null ? Optional.empty() : complete(id);
      if (layers.isEmpty()) {
        return Optional.empty();
      }
      List<String> used = new ArrayList<>(layers.get());
      used.add(id);
      leases.hold(used);
      touch(id);
      return Optional.of(id);
    });
  }

  /** The diff ids of image {@code id} when its config and every layer are in the cache. */
  private Optional<List<String>> complete(String id) throws IOException {
    Path config = blob(id);
    if (!Files.isRegularFile(config)) {
      return Optional.empty();
    }
    List<String> diffIds;
    try {
      diffIds = diffIds(Files.readAllBytes(config));
    } catch (java.nio.file.NoSuchFileException pruned) {
      return Optional.empty();
    }
    for (String diffId : diffIds) {
      if (!Files.isRegularFile(blob(diffId)) && !Files.isDirectory(layers.resolve(Digests.hex(diffId)))) {
        return Optional.empty();
      }
    }
    return Optional.of(diffIds);
  }

  /** Marks image {@code id} as used now (a prune to a size takes the least recently used first). */
  private void touch(String id) {
    try {
      Files.setLastModifiedTime(blob(id), java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
    } catch (IOException ignored) {
      // a read-only or vanished blob: its time only orders pruning
    }
  }

  /** The config JSON of image {@code id}. */
  byte[] config(String id) throws IOException {
    return Files.readAllBytes(blob(id));
  }

  /**
   * Adds an image whose layer files may be moved into the cache; checks that every layer is the
   * one the config names.
   *
   * @throws CorruptLayerException when a layer's digest differs from the config's diff id
   */
  String put(ImageArchive image) throws IOException {
    List<String> diffIds = diffIds(image.config());
    List<String> used = new ArrayList<>(diffIds);
    used.add(image.id());
    return leases.shared(() -> {
      leases.hold(used);
      return putHeld(image, diffIds);
    });
  }

  private String putHeld(ImageArchive image, List<String> diffIds) throws IOException {
    if (diffIds.size() != image.layers().size()) {
      throw new IOException("the image config lists " + diffIds.size() + " layers but the archive has "
          + image.layers().size());
    }
    for (int i = 0; i < diffIds.size(); i++) {
      ImageArchive.Layer layer = image.layers().get(i);
      if (!layer.diffId().equals(diffIds.get(i))) {
        throw new CorruptLayerException("layer " + (i + 1) + " of the image has digest " + layer.diffId()
            + " but its config says " + diffIds.get(i));
      }
      Path target = blob(layer.diffId());
      if (!Files.exists(target)) {
        Files.move(layer.file(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    String id = image.id();
    writeBlobHeld(image.config(), id);
    return id;
  }

  /** Writes a blob (by the digest of its bytes) unless present. */
  String writeBlob(byte[] bytes) throws IOException {
    String digest = Digests.of(bytes);
    return leases.shared(() -> {
      leases.hold(List.of(digest));
      return writeBlobHeld(bytes, digest);
    });
  }

  private String writeBlobHeld(byte[] bytes, String digest) throws IOException {
    Path target = blob(digest);
    if (Files.exists(target)) {
      touch(digest);
    } else {
      Path t = Files.createTempFile(tmp, "blob-", ".tmp");
      try {
        Files.write(t, bytes);
        Files.move(t, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(t);
      }
    }
    return digest;
  }

  /** Moves a finished layer tar with digest {@code diffId} into the cache. */
  void putLayerFile(Path file, String diffId) throws IOException {
    leases.shared(() -> {
      leases.hold(List.of(diffId));
      Files.move(file, blob(diffId), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return null;
    });
  }

  static List<String> diffIds(byte[] config) throws IOException {
    List<String> ids = new ArrayList<>();
    for (JsonNode d : JSON.readTree(config).path("rootfs").path("diff_ids")) {
      ids.add(d.asText());
    }
    return ids;
  }

  /**
   * The unpacked directory of layer {@code diffId}, unpacking it first if needed.
   *
   * @throws CorruptLayerException when the cached tar's content does not match its digest
   */
  Path layerDir(String diffId) throws IOException {
    Path dir = layers.resolve(Digests.hex(diffId));
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path blob = blob(diffId);
    if (!Files.isRegularFile(blob)) {
      throw new IOException("layer " + diffId + " is missing from the cache " + root);
    }
    Path staging = Files.createTempDirectory(tmp, "layer-");
    try {
      Path content = Files.createDirectory(staging.resolve("c"));
      MessageDigest md = sha256();
      try (InputStream in = new DigestInputStream(Files.newInputStream(blob), md)) {
        new LayerUnpacker(content, LayerUnpacker.Mode.OVERLAY_LAYER, true).unpack(in);
        in.transferTo(java.io.OutputStream.nullOutputStream()); // tar padding after the end marker
      }
      String actual = "sha256:" + HexFormat.of().formatHex(md.digest());
      if (!actual.equals(diffId)) {
        // Not the layer it claims to be: drop the blob so the next build fetches it again.
        Files.deleteIfExists(blob);
        throw new CorruptLayerException("layer " + diffId + " in the cache is corrupt: its content has digest "
            + actual);
      }
      try {
        Files.move(content, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        // Another build unpacked the same layer first (rename(2) says EEXIST or ENOTEMPTY);
        // theirs is as good as ours.
        if (!Files.isDirectory(dir)) {
          throw raced;
        }
      }
      return dir;
    } finally {
      FileTrees.deleteQuietly(staging);
    }
  }

  /**
   * Applies layer {@code diffId} from its cached tar to {@code root}, a container's copied root
   * ({@link LayerUnpacker.Mode#APPLY_LAYER}), and checks the tar against the digest.
   *
   * <p>The check runs beside the unpacking, in {@code sha256sum}: the JVM of the CLI runs without
   * its optimising compiler (it starts faster), and its SHA-256 then takes three times as long as
   * unpacking the tar (1.2 s against 0.45 s for a 164 MB builder here); coreutils' uses the CPU's
   * SHA instructions. Where {@code sha256sum} is missing the JVM's digest is used.
   *
   * @throws CorruptLayerException when the cached tar's content does not match its digest (the
   *     blob is dropped; the root is then half made, and the caller throws it away)
   */
  void applyLayer(String diffId, Path root) throws IOException {
    Path blob = blob(diffId);
    if (!Files.isRegularFile(blob)) {
      throw new IOException("layer " + diffId + " is missing from the cache " + this.root);
    }
    Process check = startSha256sum(blob);
    try {
      try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(blob), 1 << 16)) {
        new LayerUnpacker(root, LayerUnpacker.Mode.APPLY_LAYER, true).unpack(in);
      } catch (IOException unpackFailure) {
        // A corrupt tar often fails to unpack: say that it is corrupt rather than how it failed.
        checkDigest(diffId, blob, check);
        throw unpackFailure;
      }
      checkDigest(diffId, blob, check);
    } finally {
      if (check != null) {
        check.destroyForcibly();
      }
    }
  }

  private static Process startSha256sum(Path blob) {
    try {
      return new ProcessBuilder("sha256sum", blob.toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException missing) {
      return null;
    }
  }

  private void checkDigest(String diffId, Path blob, Process sha256sum) throws IOException {
    String actual = null;
    if (sha256sum != null) {
      String out = new String(sha256sum.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      try {
        if (sha256sum.waitFor() == 0 && out.length() >= 64 && out.substring(0, 64).matches("[0-9a-f]{64}")) {
          actual = "sha256:" + out.substring(0, 64);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while checking layer " + diffId);
      }
    }
    if (actual == null) {
      MessageDigest md = sha256();
      try (InputStream in = new DigestInputStream(Files.newInputStream(blob), md)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      actual = "sha256:" + HexFormat.of().formatHex(md.digest());
    }
    if (!actual.equals(diffId)) {
      Files.deleteIfExists(blob);
      throw new CorruptLayerException("layer " + diffId + " in the cache is corrupt: its content has digest "
          + actual);
    }
  }

  // ---- index ----------------------------------------------------------------------------

  void name(String ref, String id) throws IOException {
    String name = ImageNames.normalise(ref);
    lock.with(() -> {
      Map<String, String> index = readIndex();
      index.put(name, id);
      writeIndex(index);
      return null;
    });
  }

  /** Removes a name; returns the id it named. */
  Optional<String> unname(String ref) throws IOException {
    String name = ImageNames.normalise(ref);
    return lock.with(() -> {
      Map<String, String> index = readIndex();
      String id = index.remove(name);
      if (id != null) {
        writeIndex(index);
      }
      return Optional.ofNullable(id);
    });
  }

  /** Removes every name of image {@code id} and its config (its layers stay, shared). */
  void removeImage(String id) throws IOException {
    lock.with(() -> {
      Map<String, String> index = readIndex();
      boolean changed = false;
      for (Iterator<String> it = index.values().iterator(); it.hasNext(); ) {
        if (it.next().equals(id)) {
          it.remove();
          changed = true;
        }
      }
      if (changed) {
        writeIndex(index);
      }
      Files.deleteIfExists(blob(id));
      return null;
    });
  }

  /** Every name in the index with the image id it names. */
  Map<String, String> names() throws IOException {
    return lock.with(this::readIndex);
  }

  /** Removes every name in the index that names one of {@code ids}; returns the names removed. */
  List<String> unnameImages(java.util.Set<String> ids) throws IOException {
    return lock.with(() -> {
      Map<String, String> index = readIndex();
      List<String> removed = new ArrayList<>();
      for (Iterator<Map.Entry<String, String>> it = index.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, String> e = it.next();
        if (ids.contains(e.getValue())) {
          removed.add(e.getKey());
          it.remove();
        }
      }
      if (!removed.isEmpty()) {
        writeIndex(index);
      }
      return removed;
    });
  }

  private Map<String, String> readIndex() throws IOException {
    Path file = root.resolve("index.json");
    Map<String, String> index = new TreeMap<>();
    if (Files.isRegularFile(file)) {
      JsonNode names = JSON.readTree(file.toFile()).path("names");
      names.fields().forEachRemaining(e -> index.put(e.getKey(), e.getValue().asText()));
    }
    return index;
  }

  private void writeIndex(Map<String, String> index) throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    ObjectNode names = doc.putObject("names");
    index.forEach(names::put);
    Path t = Files.createTempFile(tmp, "index-", ".tmp");
    try {
      Files.write(t, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
      Files.move(t, root.resolve("index.json"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(t);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A layer whose content is not what its digest says. */
  static final class CorruptLayerException extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptLayerException(String message) {
      super(message);
    }
  }
}
