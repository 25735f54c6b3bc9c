package io.s2i.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
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
import io.s2i.image.layout.ImageArchive;
import io.s2i.image.layout.LayerCompression;
import io.s2i.image.layout.Platforms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class RegistryPuller {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Layers downloaded at once: enough to hide per-request latency, few enough for 2 cores. */
  private static final int PARALLEL = 3;
  private final Consumer<String> debug;

  /** @param debug receives diagnostic lines (authentication, insecure fallbacks) */
  public RegistryPuller(Consumer<String> debug) {
    this.debug = debug;
  }

  /**
   * Pulls {@code ref}.
   *
   * @param workDir an empty directory for the fetched layers (the caller moves or deletes them)
   * @param cached the file of a layer the caller already has, by diff id
   * @throws RegistryException when the registry refuses or fails, or a layer is not what it claims
   */
  public ImageArchive pull(String ref, Optional<RegistryCredentials> credentials, Path workDir,
      Function<String, Optional<Path>> cached, TransferListener progress) throws EngineException {
    ImageReference reference = parse(ref);
    String registry = reference.getRegistry();
    String action = "pulling " + ref + " from " + registry;
    try (RegistryConnection connection = RegistryConnection.open(reference, credentials, false, debug)) {
      RegistryClient client = connection.client();
      BuildableManifestTemplate manifest = manifest(client, reference, ref);
      DescriptorDigest configDigest = manifest.getContainerConfiguration().getDigest();
      ByteArrayOutputStream configBytes = new ByteArrayOutputStream();
      client.pullBlob(configDigest, size -> {}, n -> {}).writeTo(configBytes);
      byte[] config = configBytes.toByteArray();
      List<String> diffIds = new ArrayList<>();
      JSON.readTree(config).path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
      List<BuildableManifestTemplate.ContentDescriptorTemplate> blobs = manifest.getLayers();
      if (diffIds.size() != blobs.size()) {
        throw new RegistryException(action + " failed: its manifest has " + blobs.size()
            + " layers but its config lists " + diffIds.size(), "check the image on " + registry, false, null);
      }
      return new ImageArchive(config, layers(client, blobs, diffIds, workDir, cached, progress, action, ref));
    } catch (IOException | com.google.cloud.tools.jib.api.RegistryException e) {
      throw RegistryFailures.of(action, registry, reference.getRepository(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(FailureReason.INTERRUPTED, "interrupted while " + action, null, e);
    }
  }

  static ImageReference parse(String ref) throws RegistryException {
    try {
      return RegistryConnection.parse(ref);
    } catch (InvalidImageReferenceException e) {
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
      Function<String, Optional<Path>> cached, TransferListener progress, String action, String ref)
      throws IOException, InterruptedException, com.google.cloud.tools.jib.api.RegistryException, RegistryException {
    ImageArchive.Layer[] layers = new ImageArchive.Layer[blobs.size()];
    List<Future<?>> fetches = new ArrayList<>();
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
          layers[i] = new ImageArchive.Layer(have.get(), diffId, Files.size(have.get()));
          // Progress counts the bytes of the registry's (compressed) blobs, fetched or not.
          long size = blobs.get(i).getSize();
          progress.layer(id, "Already exists", size, size, true);
          continue;
        }
        int index = i;
        fetches.add(pool.submit(() -> {
          layers[index] = fetch(client, digest, diffId, index, workDir, progress, ref);
          return null;
        }));
      }
      for (Future<?> f : fetches) {
        f.get();
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RegistryException r) {
        throw r;
      }
      if (cause instanceof com.google.cloud.tools.jib.api.RegistryException r) {
        throw r;
      }
      throw new IOException(cause);
    } finally {
      pool.shutdownNow();
    }
    return List.of(layers);
  }

  private ImageArchive.Layer fetch(RegistryClient client, DescriptorDigest digest, String diffId, int index,
      Path workDir, TransferListener progress, String ref) throws IOException, RegistryException {
    String id = digest.getHash().substring(0, 12);
    Path compressed = workDir.resolve("blob-" + index);
    Path tar = workDir.resolve("layer-" + index + ".tar");
    AtomicLong total = new AtomicLong(-1);
    AtomicLong done = new AtomicLong();
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
      progress.layer(id, "Pull complete", Files.size(compressed), Files.size(compressed), true);
      return new ImageArchive.Layer(tar, diffId, u.size());
    } finally {
      Files.deleteIfExists(compressed);
    }
  }
}
