package io.s2i.engine.oci;

import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ContainerRunner;
import io.s2i.engine.ImageStore;
import java.nio.file.Path;

/**
 * The daemonless engine: images in a layer cache, containers on overlayfs (or on a copy of the
 * layers where overlayfs cannot be used) run by an OCI runtime (runc or crun). Opened by {@link OciEngineProvider}.
 */
public final class OciEngine implements ContainerEngine {
  private final LayerCache cache;
  private final OciImageStore images;
  private final OciContainerRunner containers;
  private final DaemonFallback daemon;
  private final RootfsStrategy rootfs;

  private final OciImageCache imageCache;

  OciEngine(LayerCache cache, OciContainerRunner.Runtime runtime, DaemonFallback daemon, java.util.OptionalLong cacheLimit) {
    this.cache = cache;
    this.imageCache = new OciImageCache(cache, cacheLimit);
    this.daemon = daemon;
    this.rootfs = runtime.rootfs();
    this.images = new OciImageStore(cache, daemon);
    this.containers = new OciContainerRunner(cache, images, runtime);
    images.dockerfiles(new DockerfileBuild(cache, images, containers));
  }

  @Override
  public String name() {
    return "oci";
  }

  @Override
  public ImageStore images() {
    return images;
  }

  @Override
  public ContainerRunner containers() {
    return containers;
  }

  /** The cache directory (blobs, unpacked layers, index, container dirs). */
  public Path cacheDir() {
    return cache.root();
  }

  /** Whether a container (by id) still has its directory, mount or runtime state. */
  public boolean containerExists(String id) {
    return containers.containerDir(id).isPresent();
  }

  /** How this engine makes container roots now (for tests: whether {@code auto} fell back). */
  RootfsStrategy rootfs() {
    return rootfs;
  }

  @Override
  public java.util.Optional<io.s2i.engine.ImageCache> cache() {
    return java.util.Optional.of(imageCache);
  }

  /**
   * Releases the daemon and this engine's lease on the cache, then prunes the cache to
   * {@code S2I_OCI_CACHE_MAX} when it is set (a failing prune only leaves the cache bigger).
   */
  @Override
  public void close() {
    daemon.close();
    cache.close();
    try {
      imageCache.enforceLimit();
    } catch (io.s2i.engine.EngineException e) {
      org.slf4j.LoggerFactory.getLogger(OciEngine.class).warn("cannot prune the cache to S2I_OCI_CACHE_MAX: {}",
          e.getMessage());
    }
  }
}
