package io.s2i.internal.registry;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import com.google.cloud.tools.jib.registry.RegistryClient;
import io.s2i.api.FailureReason;
import io.s2i.api.RegistryCredentials;
import io.s2i.engine.EngineException;
import io.s2i.engine.RegistryException;
import io.s2i.engine.TransferListener;
import io.s2i.internal.image.layout.Digests;
import io.s2i.internal.image.layout.ImageArchive;
import io.s2i.internal.image.layout.LayerCompression;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Pushes an {@link ImageArchive} (config and uncompressed layers) to a registry with jib's
 * {@link RegistryClient} as an OCI image: each layer compressed by {@link LayerCompression} (so
 * the same image always has the same manifest digest, the one an {@code oci:} output of it has),
 * blobs the registry has already skipped, then the manifest under the reference's tag.
 */
public final class RegistryPusher {
  private final CompressedLayerMemo memo;
  private final Consumer<String> debug;

  /**
   * @param memo the compressed digests of layers pushed before, so that layers the registry has
   *     need not be compressed to be recognised
   * @param debug receives diagnostic lines (authentication, insecure fallbacks)
   */
  public RegistryPusher(CompressedLayerMemo memo, Consumer<String> debug) {
    this.memo = memo;
    this.debug = debug;
  }

  /**
   * Pushes {@code image} to {@code ref} and returns the manifest digest.
   *
   * @param workDir a directory for compressed layers while they are sent (left empty)
   * @throws RegistryException when the registry refuses or fails; {@link
   *     RegistryException#transientFailure()} says whether a retry can help
   */
  public String push(ImageArchive image, String ref, Optional<RegistryCredentials> credentials, Path workDir,
      TransferListener progress) throws EngineException {
    ImageReference reference = RegistryPuller.parse(ref);
    String registry = reference.getRegistry();
    String action = "pushing " + ref + " to " + registry;
    try (RegistryConnection connection = RegistryConnection.open(reference, credentials, true, debug)) {
      RegistryClient client = connection.client();
      OciManifestTemplate manifest = new OciManifestTemplate();
      Map<String, LayerCompression.Compressed> sent = new HashMap<>();
      for (ImageArchive.Layer layer : image.layers()) {
        LayerCompression.Compressed c = sent.get(layer.diffId());
        if (c == null) {
          c = pushLayer(client, layer, workDir, progress);
          sent.put(layer.diffId(), c);
        }
        manifest.addLayer(c.size(), digest(c.digest()));
      }
      byte[] config = image.config();
      DescriptorDigest configDigest = digest(Digests.of(config));
      if (client.checkBlob(configDigest).isEmpty()) {
        client.pushBlob(configDigest, Blobs.from(out -> out.write(config), true), null, n -> {});
      }
      manifest.setContainerConfiguration(config.length, configDigest);
      String qualifier = reference.getTag().orElse(reference.getQualifier());
      DescriptorDigest pushed = client.pushManifest(manifest, qualifier);
      String expected = Digests.of(JsonTemplateMapper.toByteArray(manifest));
      if (pushed != null && !pushed.toString().equals(expected)) {
        debug.accept(registry + " stored the manifest of " + ref + " as " + pushed + ", not " + expected);
      }
      return pushed != null ? pushed.toString() : expected;
    } catch (IOException | com.google.cloud.tools.jib.api.RegistryException e) {
      throw RegistryFailures.of(action, registry, reference.getRepository(), e);
    }
  }

  private LayerCompression.Compressed pushLayer(RegistryClient client, ImageArchive.Layer layer, Path workDir,
      TransferListener progress) throws IOException, com.google.cloud.tools.jib.api.RegistryException, EngineException {
    String id = Digests.hex(layer.diffId()).substring(0, 12);
    Optional<LayerCompression.Compressed> known = memo.get(layer.diffId());
    if (known.isPresent() && client.checkBlob(digest(known.get().digest())).isPresent()) {
      progress.layer(id, "Layer already exists", known.get().size(), known.get().size(), true);
      return known.get();
    }
    Path file = Files.createTempFile(workDir, "layer-", ".tar.gz");
    try {
      LayerCompression.Compressed c;
      try (OutputStream out = Files.newOutputStream(file)) {
        c = LayerCompression.compress(layer.file(), out);
      }
      memo.put(layer.diffId(), c);
      DescriptorDigest digest = digest(c.digest());
      if (!known.equals(Optional.of(c)) && client.checkBlob(digest).isPresent()) {
        progress.layer(id, "Layer already exists", c.size(), c.size(), true);
        return c;
      }
      AtomicLong done = new AtomicLong();
      client.pushBlob(digest, Blobs.from(file), null,
          n -> progress.layer(id, "Pushing", done.addAndGet(n), c.size(), false));
      progress.layer(id, "Pushed", c.size(), c.size(), true);
      return c;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static DescriptorDigest digest(String digest) throws EngineException {
    try {
      return DescriptorDigest.fromDigest(digest);
    } catch (DigestException e) {
      throw new EngineException(FailureReason.REGISTRY_FAILED, "the registry answered a push with \"" + digest + "\", which is not a digest", null, e);
    }
  }
}
