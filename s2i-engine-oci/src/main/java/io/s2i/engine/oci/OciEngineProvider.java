package io.s2i.engine.oci;

import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineProvider;
import io.s2i.engine.EngineResolver;
import io.s2i.engine.EngineUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the daemonless engine. Available when {@code runc} or {@code crun} is on {@code PATH} (or
 * {@code S2I_OCI_RUNTIME} names one) and s2i runs as root. The cache lives in
 * {@code ${XDG_CACHE_HOME:-~/.cache}/s2i-java/oci}. A daemon engine that answers is used as an
 * image source and as the place tagged results are loaded into, unless {@code S2I_OCI_DAEMON=none}.
 */
public final class OciEngineProvider implements EngineProvider {
  private static final Logger LOG = LoggerFactory.getLogger(OciEngineProvider.class);
  static final Path STATE_ROOT = Path.of("/run/s2i-java/runc");

  @Override
  public String id() {
    return "oci";
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public ContainerEngine open(Map<String, String> environment) throws EngineUnavailableException {
    Path runtime = runtime(environment);
    int uid;
    try {
      uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | RuntimeException e) {
      throw new EngineUnavailableException("the oci engine cannot tell which user runs it: " + e.getMessage(),
          "use --engine docker", e);
    }
    if (uid != 0) {
      throw new EngineUnavailableException("the oci engine needs root (mounts and " + runtime.getFileName()
          + "); s2i runs as uid " + uid, "run s2i as root (sudo), or use --engine docker", null);
    }
    LayerCache cache;
    try {
      cache = new LayerCache(cacheDir(environment));
      Files.createDirectories(STATE_ROOT);
    } catch (IOException e) {
      throw new EngineUnavailableException("the oci engine cannot create its cache: " + e.getMessage(),
          "set XDG_CACHE_HOME to a writable directory", e);
    }
    OciContainerRunner.Runtime oci = new OciContainerRunner.Runtime(runtime, STATE_ROOT,
        ScratchSpace.fromEnvironment(environment), RootfsStrategy.fromEnvironment(environment));
    StaleContainers.sweep(cache.containers(), oci);
    boolean noDaemon = "none".equals(environment.get("S2I_OCI_DAEMON"));
    DaemonFallback daemon = noDaemon ? DaemonFallback.none() : new DaemonFallback(() -> openDaemon(environment));
    return new OciEngine(cache, oci, daemon, cacheLimit(environment));
  }

  /** {@code S2I_OCI_CACHE_MAX}: the size the cache is pruned to after each build, if set. */
  static java.util.OptionalLong cacheLimit(Map<String, String> env) throws EngineUnavailableException {
    String setting = env.getOrDefault("S2I_OCI_CACHE_MAX", "").trim();
    if (setting.isEmpty()) {
      return java.util.OptionalLong.empty();
    }
    Optional<Long> bytes = io.s2i.engine.ImageCache.parseSize(setting);
    if (bytes.isEmpty()) {
      throw new EngineUnavailableException("S2I_OCI_CACHE_MAX=" + setting + " is not a size",
          "set it to a size such as 10G, 512M or a number of bytes, or unset it for no cap", null);
    }
    return java.util.OptionalLong.of(bytes.get());
  }

  private static Path runtime(Map<String, String> env) throws EngineUnavailableException {
    String named = env.get("S2I_OCI_RUNTIME");
    if (named != null && !named.isBlank()) {
      Path p = named.contains("/") ? Path.of(named) : Commands.onPath(named, env.get("PATH")).orElse(Path.of(named));
      if (!Files.isExecutable(p)) {
        throw new EngineUnavailableException("the OCI runtime " + named + " (S2I_OCI_RUNTIME) is not an executable",
            "install runc (apt-get install runc) or crun, or fix S2I_OCI_RUNTIME", null);
      }
      return p;
    }
    String path = env.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    return Commands.onPath("runc", path).or(() -> Commands.onPath("crun", path))
        .orElseThrow(() -> new EngineUnavailableException(
            "the oci engine needs an OCI runtime, and neither runc nor crun is on PATH",
            "install runc (apt-get install runc) or crun", null));
  }

  static Path cacheDir(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(Optional.ofNullable(env.get("HOME")).filter(h -> !h.isBlank())
            .orElse(System.getProperty("user.home")), ".cache");
    return base.resolve("s2i-java").resolve("oci");
  }

  /** A daemon engine from the other providers on the class path, if one answers. */
  private Optional<ContainerEngine> openDaemon(Map<String, String> environment) {
    List<EngineProvider> others = new ArrayList<>();
    for (EngineProvider p : ServiceLoader.load(EngineProvider.class)) {
      if (!p.id().equals(id())) {
        others.add(p);
      }
    }
    if (others.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new EngineResolver(others).resolve(Optional.empty(), environment));
    } catch (EngineUnavailableException e) {
      LOG.debug("no daemon engine for the oci engine's images: {}", e.getMessage());
      return Optional.empty();
    }
  }
}
