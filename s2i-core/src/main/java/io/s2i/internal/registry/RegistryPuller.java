package io.s2i.internal.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestListTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import io.s2i.api.FailureReason;
import io.s2i.api.RegistryCredentials;
import io.s2i.engine.EngineException;
import io.s2i.engine.RegistryException;
import io.s2i.engine.TransferListener;
import io.s2i.internal.image.layout.ImageArchive;
import io.s2i.internal.image.layout.LayerCompression;
import io.s2i.internal.image.layout.Platforms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Pulls an image from a registry with jib's {@link RegistryClient}: the manifest (Docker v2
 * schema 2 or OCI; from an index or manifest list the one for this machine's platform), the config
 * and the layers, uncompressed into files. Layers the caller has by diff id are not fetched; each
 * fetched blob is checked against its digest (by jib) and each layer against the config's diff id.
 *
 * <p>A transient failure (registry unreachable, connection cut mid-blob, 5xx) is retried by the
 * {@link TransferRetry}: the manifest and config together, each layer on its own, so the layers
 * already fetched are not fetched again. Each verified layer is handed to the caller's
 * {@link LayerSink} at once, so a pull that finally fails keeps them for the next one.
 */
public final class RegistryPuller {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Layers downloaded at once: enough to hide per-request latency, few enough for 2 cores. */
  private static final int PARALLEL = 3;
  private final TransferRetry retry;
  private final Consumer<String> debug;

  /** Where verified layers go as soon as they are fetched. */
  @FunctionalInterface
  public interface LayerSink {
    /**
     * Takes the verified layer tar {@code tar} (which may be moved) with digest {@code diffId};
     * returns where it is now.
     */
    Path keep(Path tar, String diffId) throws IOException;

    /** Leaves layers where they were written. */
    static LayerSink inPlace() {
      return (tar, diffId) -> tar;
    }
  }

  /** A puller that tries once: failures are reported at once. */
  public RegistryPuller(Consumer<String> debug) {
    this(TransferRetry.none(), debug);
  }

  /**
   * @param retry how transient failures are retried
   * @param debug receives diagnostic lines (authentication, insecure fallbacks)
   */
  public RegistryPuller(TransferRetry retry, Consumer<String> debug) {
    this.retry = retry;
    this.debug = debug;
  }

  /** Pulls {@code ref}, leaving the fetched layers in {@code workDir}. */
  public ImageArchive pull(String ref, Optional<RegistryCredentials> credentials, Path workDir,
      Function<String, Optional<Path>> cached, TransferListener progress) throws EngineException {
    return pull(ref, credentials, workDir, cached, LayerSink.inPlace(), progress);
  }

  /**
   * Pulls {@code ref}.
   *
   * @param workDir an empty directory for the fetched layers (the caller moves or deletes them)
   * @param cached the file of a layer the caller already has, by diff id
   * @param sink receives each layer once it is verified
   * @throws RegistryException when the registry refuses or fails (after the retries), or a layer
   *     is not what it claims
   */
  public ImageArchive pull(String ref, Optional<RegistryCredentials> credentials, Path workDir,
      Function<String, Optional<Path>> cached, LayerSink sink, TransferListener progress) throws EngineException {
    ImageReference reference = parse(ref);
    String registry = reference.getRegistry();
    String action = "pulling " + ref + " from " + registry;
    try {
      Metadata meta = retry.run(() -> metadata(reference, credentials, ref, action),
          (failure, delay, next, all) -> progress.retrying("manifest", failure.getMessage(), delay.toSeconds()));
      try (RegistryConnection connection = meta.connection()) {
        List<BuildableManifestTemplate.ContentDescriptorTemplate> blobs = meta.manifest().getLayers();
        return new ImageArchive(meta.config(), layers(connection.client(), blobs, meta.diffIds(), workDir, cached,
            sink, progress, action, ref, reference));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(FailureReason.INTERRUPTED, "interrupted while " + action, null, e);
    }
  }

  /** What is read before the layers: an open connection (the caller closes it), manifest, config. */
  private record Metadata(RegistryConnection connection, BuildableManifestTemplate manifest, byte[] config,
      List<String> diffIds) {}

  private Metadata metadata(ImageReference reference, Optional<RegistryCredentials> credentials, String ref,
      String action) throws RegistryException {
    String registry = reference.getRegistry();
    RegistryConnection connection = null;
    try {
      connection = RegistryConnection.open(reference, credentials, false, debug);
      RegistryClient client = connection.client();
      BuildableManifestTemplate manifest = manifest(client, reference, ref);
      DescriptorDigest configDigest = manifest.getContainerConfiguration().getDigest();
      ByteArrayOutputStream configBytes = new ByteArrayOutputStream();
      client.pullBlob(configDigest, size -> {}, n -> {}).writeTo(configBytes);
      byte[] config = configBytes.toByteArray();
      List<String> diffIds = new ArrayList<>();
      JSON.readTree(config).path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
      if (diffIds.size() != manifest.getLayers().size()) {
        throw new RegistryException(action + " failed: its manifest has " + manifest.getLayers().size()
            + " layers but its config lists " + diffIds.size(), "check the image on " + registry, false, null);
      }
      Metadata meta = new Metadata(connection, manifest, config, diffIds);
      connection = null;
      return meta;
    } catch (IOException | com.google.cloud.tools.jib.api.RegistryException e) {
      throw RegistryFailures.of(action, registry, reference.getRepository(), e);
    } finally {
      if (connection != null) {
        connection.close();
      }
    }
  }

  static ImageReference parse(String ref) throws RegistryException {
    try {
      return JibReferences.of(ref);
    } catch (IllegalArgumentException e) {
      throw new RegistryException("invalid image reference " + ref,
          "give a reference such as registry.example.com/repo/name:tag", false, e);
    }
  }

  private BuildableManifestTemplate manifest(RegistryClient client, ImageReference reference, String ref)
      throws IOException, com.google.cloud.tools.jib.api.RegistryException, RegistryException {
    ManifestAndDigest<ManifestTemplate> pulled = client.pullManifest(reference.getQualifier());
    ManifestTemplate m = pulled.getManifest();
    if (m instanceof ManifestListTemplate) {
      String[] platform = Platforms.host();
      String digest = Platforms.select(JSON.readTree(JsonTemplateMapper.toByteArray(m)), platform[0], platform[1]);
      debug.accept("using manifest " + digest + " of " + ref + " for " + platform[0] + "/" + platform[1]);
      m = client.pullManifest(digest).getManifest();
    }
    if (m instanceof BuildableManifestTemplate b) {
      return b;
    }
    throw new RegistryException("image " + ref + " on " + reference.getRegistry() + " has a manifest of type "
        + m.getManifestMediaType() + " (schema " + m.getSchemaVersion() + "), which is not supported",
        "push the image again with a current docker, skopeo or buildah (Docker v2 schema 2 or OCI)", false, null);
  }

  private List<ImageArchive.Layer> layers(RegistryClient client,
      List<BuildableManifestTemplate.ContentDescriptorTemplate> blobs, List<String> diffIds, Path workDir,
      Function<String, Optional<Path>> cached, LayerSink sink, TransferListener progress, String action, String ref,
      ImageReference reference) throws EngineException, InterruptedException {
    ImageArchive.Layer[] layers = new ImageArchive.Layer[blobs.size()];
    List<Future<ImageArchive.Layer>> fetches = new ArrayList<>(Collections.nCopies(blobs.size(), null));
    // An image may hold one layer twice (two steps that changed nothing alike): it is fetched once.
    Map<String, Future<ImageArchive.Layer>> byDiffId = new HashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
      Thread t = new Thread(r, "s2i-pull");
      t.setDaemon(true);
      return t;
    });
    try {
      for (int i = 0; i < blobs.size(); i++) {
        String diffId = diffIds.get(i);
        DescriptorDigest digest = blobs.get(i).getDigest();
        String id = digest.getHash().substring(0, 12);
        Optional<Path> have = cached.apply(diffId);
        if (have.isPresent()) {
          layers[i] = new ImageArchive.Layer(have.get(), diffId, size(have.get(), action, reference));
          // Progress counts the bytes of the registry's (compressed) blobs, fetched or not.
          long size = blobs.get(i).getSize();
          progress.layer(id, "Already exists", size, size, true);
          continue;
        }
        int index = i;
        fetches.set(i, byDiffId.computeIfAbsent(diffId, d -> pool.submit(() -> retry.run(() -> fetch(client, digest,
            diffId, index, workDir, sink, progress, ref, action, reference), (failure, delay, next, all) ->
            progress.retrying(id, failure.getMessage(), delay.toSeconds())))));
      }
      for (int i = 0; i < blobs.size(); i++) {
        if (fetches.get(i) != null) {
          layers[i] = fetches.get(i).get();
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof EngineException r) {
        throw r;
      }
      if (cause instanceof InterruptedException i) {
        throw i;
      }
      throw RegistryFailures.of(action, reference.getRegistry(), reference.getRepository(), cause);
    } finally {
      pool.shutdownNow();
    }
    return List.of(layers);
  }

  private static long size(Path file, String action, ImageReference reference) throws RegistryException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw RegistryFailures.of(action, reference.getRegistry(), reference.getRepository(), e);
    }
  }

  /** Fetches, uncompresses and verifies one layer; the partial files of a failed attempt are removed. */
  private ImageArchive.Layer fetch(RegistryClient client, DescriptorDigest digest, String diffId, int index,
      Path workDir, LayerSink sink, TransferListener progress, String ref, String action, ImageReference reference)
      throws RegistryException {
    String id = digest.getHash().substring(0, 12);
    Path compressed = workDir.resolve("blob-" + index);
    Path tar = workDir.resolve("layer-" + index + ".tar");
    AtomicLong total = new AtomicLong(-1);
    AtomicLong done = new AtomicLong();
    boolean kept = false;
    try {
      try (OutputStream out = Files.newOutputStream(compressed)) {
        // jib checks the received bytes against the digest, and fails the write if they differ.
        client.pullBlob(digest, total::set, n -> progress.layer(id, "Downloading", done.addAndGet(n), total.get(), false))
            .writeTo(out);
      }
      LayerCompression.Uncompressed u;
      try (InputStream in = Files.newInputStream(compressed)) {
        u = LayerCompression.decompress(in, tar);
      }
      if (!u.diffId().equals(diffId)) {
        throw new RegistryException("layer " + (index + 1) + " of " + ref + " (" + digest + ") has digest " + u.diffId()
            + " uncompressed but the image config says " + diffId,
            "push the image to the registry again; the layer cache was not changed", false, null);
      }
      long blobSize = Files.size(compressed);
      Path at = sink.keep(tar, diffId);
      kept = true;
      progress.layer(id, "Pull complete", blobSize, blobSize, true);
      return new ImageArchive.Layer(at, diffId, u.size());
    } catch (IOException e) {
      throw RegistryFailures.of(action, reference.getRegistry(), reference.getRepository(), e);
    } finally {
      deleteQuietly(compressed);
      if (!kept) {
        deleteQuietly(tar);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the caller removes its work directory anyway
    }
  }
}
