package io.s2i.engine.oci;

import io.s2i.internal.fs.FileTrees;
import io.s2i.api.FailureReason;
import io.s2i.api.PullPolicy;
import io.s2i.api.RegistryCredentials;
import io.s2i.engine.ArchiveSource;
import io.s2i.internal.archive.StreamPipe;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageNotFoundException;
import io.s2i.engine.ImageStore;
import io.s2i.engine.OutputSink;
import io.s2i.engine.RegistryException;
import io.s2i.engine.TransferListener;
import io.s2i.engine.ImageInfo;
import io.s2i.internal.image.layout.DockerArchiveReader;
import io.s2i.internal.image.layout.DockerArchiveWriter;
import io.s2i.internal.image.layout.ImageArchive;
import io.s2i.internal.image.layout.ImageFileRef;
import io.s2i.internal.image.layout.OciLayoutReader;
import io.s2i.internal.registry.CompressedLayerMemo;
import io.s2i.internal.registry.RegistryPuller;
import io.s2i.internal.registry.RegistryPusher;
import io.s2i.internal.registry.TransferRetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images of the daemonless engine, kept in the {@link LayerCache}. Names resolve first in a daemon
 * that happens to be there (its images are imported by id, once) and then in the cache; image
 * references may also name a file: {@code docker-archive:FILE} or an OCI layout,
 * {@code oci:DIR[:TAG]}. Without a daemon, images are pulled from and pushed to registries
 * directly ({@link RegistryPuller}, {@link RegistryPusher}); layers already in the cache are
 * neither fetched nor read again, and the compressed digest of every layer pushed is remembered in
 * the cache's {@code gzip/} directory so that a layer the registry has is not compressed again.
 */
final class OciImageStore implements ImageStore {
  private static final Logger LOG = LoggerFactory.getLogger(OciImageStore.class);
  private final LayerCache cache;
  private final DaemonFallback daemon;
  /** Image ids of the file sources read by this store, so one build reads each file once. */
  private final Map<String, String> fileSources = new ConcurrentHashMap<>();

  OciImageStore(LayerCache cache, DaemonFallback daemon) {
    this.cache = cache;
    this.daemon = daemon;
  }

  /** The daemon that happens to be there, if any. */
  Optional<ContainerEngine> daemon() {
    return daemon.get();
  }

  @Override
  public Optional<ImageInfo> inspect(String ref) throws EngineException {
    try {
      Optional<String> id = resolve(ref);
      return id.isEmpty() ? Optional.empty() : Optional.of(info(id.get()));
    } catch (IOException e) {
      throw failure("cannot inspect image " + ref, e);
    }
  }

  /**
   * The images a daemon that happens to be there has, then the cache's named images (by their
   * config's labels).
   */
  @Override
  public List<io.s2i.engine.ImageSummary> list() throws EngineException {
    List<io.s2i.engine.ImageSummary> out = new ArrayList<>();
    Optional<ContainerEngine> d = daemon.get();
    if (d.isPresent()) {
      out.addAll(d.get().images().list());
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    out.forEach(i -> seen.addAll(i.names()));
    try {
      Map<String, List<String>> byId = new java.util.TreeMap<>();
      cache.names().forEach((name, id) -> {
        if (!seen.contains(name)) {
          byId.computeIfAbsent(id, k -> new ArrayList<>()).add(name);
        }
      });
      for (Map.Entry<String, List<String>> e : byId.entrySet()) {
        if (cache.resolve(e.getKey()).isPresent()) {
          out.add(new io.s2i.engine.ImageSummary(e.getKey(), e.getValue(), info(e.getKey()).labels()));
        }
      }
    } catch (IOException e) {
      throw failure("cannot list the cached images", e);
    }
    return out;
  }

  /** The cached image id {@code ref} names, importing it from the daemon or a file when needed. */
  Optional<String> resolve(String ref) throws IOException, EngineException {
    if (isFileSource(ref)) {
      String known = fileSources.get(ref);
      if (known != null && cache.resolve(known).isPresent()) {
        return Optional.of(known);
      }
      ImageFileRef file = ImageFileRef.parse(ref);
      String id = file.kind() == ImageFileRef.Kind.OCI_LAYOUT ? importLayout(ref) : importArchive(file.path(), ref);
      fileSources.put(ref, id);
      return Optional.of(id);
    }
    Optional<ContainerEngine> d = daemon.get();
    if (d.isPresent()) {
      Optional<ImageInfo> there = d.get().images().inspect(ref);
      if (there.isPresent()) {
        String id = there.get().id();
        if (cache.resolve(id).isEmpty()) {
          importFromDaemon(d.get(), id);
        }
        if (!id.equals(ref) && !ref.endsWith(id.substring(7))) {
          cache.name(ref, id);
        }
        return Optional.of(id);
      }
    }
    return cache.resolve(ref);
  }

  ImageInfo info(String id) throws IOException {
    byte[] config = cache.config(id);
    long size = config.length;
    for (String diffId : LayerCache.diffIds(config)) {
      Path blob = cache.blob(diffId);
      size += Files.exists(blob) ? Files.size(blob) : 0;
    }
    return ImageConfigs.info(id, config, size);
  }

  private void importFromDaemon(ContainerEngine d, String id) throws IOException, EngineException {
    LOG.debug("importing image {} from the {} engine into the cache", id, d.name());
    Path dir = cache.tempDir("import-");
    try {
      Path tar = dir.resolve("image.tar");
      try (OutputStream out = Files.newOutputStream(tar)) {
        d.images().export(id, out);
      }
      readInto(tar, dir, id);
    } finally {
      FileTrees.deleteQuietly(dir);
    }
  }

  private String importArchive(Path file, String ref) throws IOException, EngineException {
    if (!Files.isRegularFile(file)) {
      throw new ImageNotFoundException("cannot read image " + ref + ": " + file + " is not a file",
          "give the path of a docker-archive (docker save) tarball", null);
    }
    Path dir = cache.tempDir("import-");
    try {
      return readInto(file, dir, ref);
    } finally {
      FileTrees.deleteQuietly(dir);
    }
  }

  static boolean isFileSource(String ref) {
    return ImageFileRef.names(ref);
  }

  /** Reads {@code oci:DIR[:TAG]} into the cache; layers the cache has are not read. */
  private String importLayout(String ref) throws IOException, EngineException {
    ImageFileRef layout = ImageFileRef.parse(ref);
    Path dir = layout.path();
    Optional<String> tag = layout.tag();
    if (!Files.isDirectory(dir)) {
      throw new ImageNotFoundException("cannot read image " + ref + ": " + dir + " is not a directory",
          "give the path of an OCI image layout (skopeo copy ... oci:DIR:TAG)", null);
    }
    Path work = cache.tempDir("import-");
    try {
      ImageArchive image;
      try {
        image = OciLayoutReader.read(dir, tag, work, this::cachedLayer);
      } catch (OciLayoutReader.CorruptBlobException e) {
        throw new EngineException(FailureReason.PULL_BUILDER_IMAGE_FAILED, "image " + ref + " is corrupt: "
            + e.getMessage(), "write the OCI layout again; the layer cache was not changed", e);
      } catch (IOException e) {
        throw new ImageNotFoundException("cannot read image " + ref + ": " + e.getMessage(),
            "give an OCI image layout and, when it holds several images, the tag: oci:DIR:TAG", e);
      }
      return putInCache(image, ref);
    } finally {
      FileTrees.deleteQuietly(work);
    }
  }

  /** The cached file of layer {@code diffId}, if the cache has it. */
  private Optional<Path> cachedLayer(String diffId) {
    Path blob = cache.blob(diffId);
    return Files.isRegularFile(blob) ? Optional.of(blob) : Optional.empty();
  }

  private String putInCache(ImageArchive image, String what) throws IOException, EngineException {
    try {
      return cache.put(image);
    } catch (LayerCache.CorruptLayerException e) {
      throw new EngineException(FailureReason.PULL_BUILDER_IMAGE_FAILED,
          "image " + what + " has a corrupt layer: " + e.getMessage(),
          "recreate the image (or its archive) and retry; the layer cache was not changed", e);
    }
  }

  /**
   * Pulls {@code ref} from its registry into the cache and names it {@code ref}. Each layer goes
   * into the cache as soon as it is verified, so a pull that fails keeps what it fetched.
   */
  private ImageInfo pull(String ref, Optional<RegistryCredentials> credentials, TransferListener progress)
      throws EngineException {
    try {
      Path work = cache.tempDir("pull-");
      try {
        ImageArchive image;
        try {
          image = new RegistryPuller(TransferRetry.standard(), LOG::debug).pull(ref, credentials, work,
              this::cachedLayer, this::keepLayer, progress);
        } catch (RegistryException e) {
          if (e.transientFailure()) {
            throw e; // unreachable after the retries: a registry failure (exit 8), as for a push
          }
          // A builder, runtime or previous image that cannot be pulled fails the build as a pull.
          throw new ImageNotFoundException(e.getMessage(), e.suggestion().orElse(null), e);
        }
        String id = putInCache(image, ref);
        cache.name(ref, id);
        return info(id);
      } finally {
        FileTrees.deleteQuietly(work);
      }
    } catch (IOException e) {
      throw failure("cannot store image " + ref + " in the cache " + cache.root(), e);
    }
  }

  /** Moves a pulled layer, verified against its diff id, into the cache. */
  private Path keepLayer(Path tar, String diffId) throws IOException {
    cache.putLayerFile(tar, diffId);
    return cache.blob(diffId);
  }

  private String readInto(Path tar, Path dir, String what) throws IOException, EngineException {
    Path unpacked = Files.createDirectory(dir.resolve("x"));
    ImageArchive image;
    try (InputStream in = Files.newInputStream(tar)) {
      image = DockerArchiveReader.read(in, unpacked);
    }
    return putInCache(image, what);
  }

  @Override
  public ImageInfo ensure(String ref, PullPolicy policy, Optional<RegistryCredentials> credentials,
      TransferListener progress) throws EngineException {
    Optional<ContainerEngine> d = daemon.get();
    boolean fromRegistry = !isFileSource(ref);
    if (policy == PullPolicy.ALWAYS && fromRegistry) {
      try {
        if (d.isPresent()) {
          d.get().images().ensure(ref, policy, credentials, progress);
        } else {
          return pull(ref, credentials, progress);
        }
      } catch (ImageNotFoundException | RegistryException pullFailed) {
        // As upstream s2i: a local copy is used when the registry cannot be reached.
        Optional<ImageInfo> local = inspect(ref);
        if (local.isEmpty()) {
          throw pullFailed;
        }
        LOG.debug("pull of {} failed, using a local image: {}", ref, pullFailed.getMessage());
        return local.get();
      }
    }
    Optional<ImageInfo> local = inspect(ref);
    if (local.isPresent()) {
      return local.get();
    }
    if (policy == PullPolicy.NEVER) {
      throw new ImageNotFoundException("unable to find image " + ref + " locally",
          "build or load the image first, or use --pull-policy if-not-present or always", null);
    }
    if (d.isPresent()) {
      d.get().images().ensure(ref, policy, credentials, progress);
      return inspect(ref).orElseThrow(() -> new ImageNotFoundException(
          "unable to find image " + ref + " after pulling it", null, null));
    }
    return pull(ref, credentials, progress);
  }

  /** Set by the engine: builds Dockerfiles (ONBUILD builders) in containers of this engine. */
  private volatile DockerfileBuild dockerfiles;

  void dockerfiles(DockerfileBuild builder) {
    this.dockerfiles = builder;
  }

  /**
   * Builds the single-stage Dockerfile of an ONBUILD build itself, with or without a daemon:
   * see {@link DockerfileBuild}.
   */
  @Override
  public String build(ArchiveSource context, Optional<String> tag, Optional<String> network,
      OutputSink output) throws EngineException {
    return dockerfiles.build(context, tag, network, output);
  }

  @Override
  public void tag(String imageId, String ref) throws EngineException {
    try {
      String id = resolve(imageId).orElseThrow(() -> new EngineException(
          "cannot tag image " + imageId + " as " + ref + ": no such image", null));
      cache.name(ref, id);
      Optional<ContainerEngine> d = daemon.get();
      if (d.isPresent()) {
        loadIntoDaemon(d.get(), id, Optional.of(ref));
      }
    } catch (IOException e) {
      throw failure("cannot tag image " + imageId + " as " + ref, e);
    }
  }

  @Override
  public String push(String ref, Optional<RegistryCredentials> credentials, TransferListener progress)
      throws EngineException {
    Optional<ContainerEngine> d = daemon.get();
    if (d.isPresent()) {
      loadIntoDaemon(d.get(), ref, Optional.of(ref));
      return d.get().images().push(ref, credentials, progress);
    }
    try {
      String id = cache.resolve(ref).orElseThrow(() -> new ImageNotFoundException(
          "cannot push " + ref + ": the oci engine's cache has no such image", "build or tag the image first", null));
      Path work = cache.tempDir("push-");
      try {
        RegistryPusher pusher = new RegistryPusher(CompressedLayerMemo.in(cache.root().resolve("gzip")), LOG::debug);
        return pusher.push(archive(id), ref, credentials, work, progress);
      } finally {
        FileTrees.deleteQuietly(work);
      }
    } catch (IOException e) {
      throw failure("cannot push image " + ref, e);
    }
  }

  /** Loads image {@code ref} into the daemon under {@code tag}, unless it has it already. */
  void loadIntoDaemon(ContainerEngine d, String ref, Optional<String> tag) throws EngineException {
    loadIntoDaemon(d, ref, tag, Optional.empty());
  }

  /**
   * Loads image {@code ref} into the daemon under {@code tag}; when the daemon has {@code base}
   * (the image it was committed from), only the layers above the base's are sent.
   */
  void loadIntoDaemon(ContainerEngine d, String ref, Optional<String> tag, Optional<String> base)
      throws EngineException {
    try {
      String id = cache.resolve(ref).orElseThrow(() -> new ImageNotFoundException(
          "no image " + ref + " in the oci engine's cache", null, null));
      if (d.images().inspect(id).isPresent()) {
        if (tag.isPresent()) {
          d.images().tag(id, tag.get());
        }
        return;
      }
      ImageArchive image = archive(id);
      int present = 0;
      if (base.isPresent() && d.images().inspect(base.get()).isPresent()) {
        present = LayerCache.diffIds(cache.config(base.get())).size();
      }
      streamInto(d, image, tag.map(ImageNames::normalise), present);
    } catch (IOException e) {
      throw failure("cannot load image " + ref + " into the " + d.name() + " engine", e);
    }
  }

  /** Sends {@code image} to the daemon's load as it is written: no archive file on disk. */
  private static void streamInto(ContainerEngine d, ImageArchive image, Optional<String> tag, int present)
      throws IOException, EngineException {
    AtomicReference<Throwable> writeFailure = new AtomicReference<>();
    StreamPipe pipe = new StreamPipe(1 << 20);
    InputStream in = pipe.source();
    OutputStream out = pipe.sink();
    Thread writer = new Thread(() -> {
      try (out) {
        DockerArchiveWriter.write(image, out, tag, present);
      } catch (Throwable t) {
        writeFailure.set(t);
      }
    }, "s2i-load-archive");
    writer.setDaemon(true);
    writer.start();
    try (in) {
      d.images().load(in);
    } finally {
      in.close(); // unblocks the writer if the daemon stopped reading
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (writeFailure.get() != null) {
      throw new IOException("cannot write the image archive: " + writeFailure.get().getMessage(), writeFailure.get());
    }
  }

  /** Image {@code id} as an archive of cached files (read them, do not move them). */
  ImageArchive archive(String id) throws IOException {
    byte[] config = cache.config(id);
    List<ImageArchive.Layer> layers = new ArrayList<>();
    for (String diffId : LayerCache.diffIds(config)) {
      Path blob = cache.blob(diffId);
      layers.add(new ImageArchive.Layer(blob, diffId, Files.size(blob)));
    }
    return new ImageArchive(config, layers);
  }

  @Override
  public void export(String image, OutputStream out) throws EngineException {
    try {
      String id = resolve(image).orElseThrow(() -> new ImageNotFoundException(
          "cannot export image " + image + ": it does not exist", "check the image id", null));
      Path dir = cache.tempDir("export-");
      try {
        Path tar = dir.resolve("image.tar");
        DockerArchiveWriter.write(archive(id), tar, Optional.empty());
        Files.copy(tar, out);
      } finally {
        FileTrees.deleteQuietly(dir);
      }
    } catch (IOException e) {
      throw failure("cannot export image " + image, e);
    }
  }

  @Override
  public void load(InputStream dockerArchive) throws EngineException {
    try {
      Path dir = cache.tempDir("load-");
      try {
        Path tar = dir.resolve("image.tar");
        Files.copy(dockerArchive, tar);
        String id = readInto(tar, dir, "in the loaded archive");
        for (String tag : RepoTags.of(tar)) {
          cache.name(tag, id);
          Optional<ContainerEngine> d = daemon.get();
          if (d.isPresent()) {
            loadIntoDaemon(d.get(), id, Optional.of(tag));
          }
        }
      } finally {
        FileTrees.deleteQuietly(dir);
      }
    } catch (IOException e) {
      throw failure("cannot load an image archive", e);
    }
  }

  @Override
  public void remove(String image) throws EngineException {
    try {
      boolean byId = image.startsWith("sha256:") || image.matches("[0-9a-f]{64}");
      if (byId) {
        cache.resolve(image).ifPresent(id -> {
          try {
            cache.removeImage(id);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      } else {
        cache.unname(image);
      }
      Optional<ContainerEngine> d = daemon.get();
      if (d.isPresent()) {
        d.get().images().remove(image);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw failure("cannot remove image " + image, e instanceof java.io.UncheckedIOException u ? u.getCause() : e);
    }
  }

  static EngineException failure(String what, Throwable e) {
    return new EngineException(what + ": " + e.getMessage(), e);
  }
}
