package io.s2i.engine.oci;

import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerRunner;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Creates containers: a root over the cached layers of the image (an overlayfs mount, or a copy;
 * see {@link RootfsStrategy}) and an OCI bundle ({@code config.json}) that
 * {@link OciContainerHandle} runs with runc or crun.
 */
final class OciContainerRunner implements ContainerRunner {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final LayerCache cache;
  private final OciImageStore images;
  private final Runtime runtime;

  /**
   * The OCI runtime binary, its state root, where containers keep their writable layer, and how
   * their roots are made.
   */
  record Runtime(Path binary, Path stateRoot, ScratchSpace scratch, RootfsStrategy rootfs) {}

  OciContainerRunner(LayerCache cache, OciImageStore images, Runtime runtime) {
    this.cache = cache;
    this.images = images;
    this.runtime = runtime;
  }

  @Override
  public ContainerHandle create(ContainerSpec spec) throws EngineException {
    List<Binds> binds = new ArrayList<>();
    for (String b : spec.binds()) {
      binds.add(Binds.parse(b));
    }
    String imageId;
    byte[] config;
    List<String> diffIds;
    try {
      imageId = images.resolve(spec.image()).orElseThrow(() -> new EngineException(
          "cannot create container from image " + spec.image() + ": the image is not present locally",
          null));
      config = cache.config(imageId);
      diffIds = LayerCache.diffIds(config);
    } catch (IOException e) {
      throw new EngineException("cannot create container from image " + spec.image() + ": " + e.getMessage(), e);
    }
    String id = name(spec.namePrefix());
    Path dir = cache.containers().resolve(id);
    OciContainerHandle handle = new OciContainerHandle(id, dir, runtime, cache, images, imageId, spec.openStdin());
    try {
      Files.createDirectories(dir);
      handle.lock();
      if (!mountOverlay(handle, diffIds)) {
        requireMountPermission();
        handle.assemble(diffIds);
      }
      prepare(handle, spec, config, binds);
      return handle;
    } catch (LayerCache.CorruptLayerException e) {
      handle.close();
      throw new EngineException(io.s2i.api.FailureReason.ENGINE_FAILED, "cannot create container from image "
          + spec.image() + ": " + e.getMessage(),
          "run the build again: the corrupt layer was dropped from the cache and is fetched anew", e);
    } catch (IOException | EngineException | RuntimeException e) {
      handle.close();
      if (e instanceof EngineException ee) {
        throw ee;
      }
      throw new EngineException("cannot create container from image " + spec.image() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Mounts an overlayfs root over the unpacked layers, unless the strategy says to copy; false
   * when the root is to be a copy (by the setting, or as {@code auto} fell back just now).
   */
  private boolean mountOverlay(OciContainerHandle handle, List<String> diffIds) throws IOException, EngineException {
    RootfsStrategy strategy = runtime.rootfs();
    if (!strategy.tryOverlay()) {
      return false;
    }
    List<Path> lowers = new ArrayList<>();
    try {
      for (String diffId : diffIds) {
        Path layer = cache.layerDir(diffId);
        // overlayfs wants the top layer first and refuses a dir twice; a layer repeated higher up
        // re-applies all its files, so its highest place alone gives the same tree.
        lowers.remove(layer);
        lowers.add(0, layer);
      }
    } catch (LayerCache.CorruptLayerException e) {
      throw e;
    } catch (IOException e) {
      // Such as whiteout devices refused by a cache on overlayfs: a copy needs neither.
      if (!strategy.mayCopy()) {
        throw e;
      }
      strategy.overlayUnavailable("cannot unpack the layers as overlayfs lower dirs: " + e.getMessage());
      return false;
    }
    if (lowers.isEmpty()) {
      lowers.add(Files.createDirectory(handle.dir().resolve("empty")));
    }
    return handle.mountOverlay(lowers, strategy);
  }

  /**
   * A copied root needs no mount of ours, but the runtime mounts /proc and the binds: without
   * CAP_SYS_ADMIN it would fail only when started, with a message of its own (exit 7 says it now,
   * as a refused overlayfs mount does).
   */
  private static void requireMountPermission() throws EngineException {
    if (!Capabilities.effective(Capabilities.SYS_ADMIN)) {
      throw new EngineException(io.s2i.api.FailureReason.ENGINE_UNAVAILABLE,
          "cannot mount the container's file systems: permission denied (s2i runs without CAP_SYS_ADMIN)",
          "run s2i as root (mounts need CAP_SYS_ADMIN), or use --engine docker", null);
    }
  }

  private void prepare(OciContainerHandle c, ContainerSpec spec, byte[] config, List<Binds> binds)
      throws IOException, EngineException {
    ImageInfo image = ImageConfigs.info("", config, 0);
    Path rootfs = c.rootfs();
    String userText = spec.user().isEmpty() ? image.user() : spec.user();
    UserSpec user;
    try {
      user = UserSpec.resolve(rootfs, userText);
    } catch (IOException e) {
      throw new EngineException("cannot create container from image " + spec.image() + ": " + e.getMessage(), e);
    }
    List<String> env = ImageConfigs.replaceOrAppend(image.env(), spec.env());
    if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
      env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }
    // As Docker: the container's id unless the spec names the host.
    String hostname = spec.hostname().orElse(c.id().substring(0, 12));
    List<String> processEnv = new ArrayList<>(env);
    processEnv.add("HOSTNAME=" + hostname);
    if (env.stream().noneMatch(e -> e.startsWith("HOME="))) {
      processEnv.add("HOME=" + user.home());
    }
    List<String> args = new ArrayList<>(spec.entrypoint().isEmpty() ? image.entrypoint() : spec.entrypoint());
    args.addAll(!spec.cmd().isEmpty() ? spec.cmd() : spec.entrypoint().isEmpty() ? image.cmd() : List.of());
    if (args.isEmpty()) {
      throw new EngineException("cannot create container from image " + spec.image()
          + ": no command given and the image has none", null);
    }
    String cwd = spec.workingDir().filter(d -> !d.isBlank())
        .orElse(image.workingDir().isEmpty() ? "/" : image.workingDir());
    Path cwdPath = RootfsPaths.resolve(rootfs, cwd);
    if (!Files.isDirectory(cwdPath)) {
      Files.createDirectories(cwdPath);
    }

    // Files the runtime mounts over; mount points that did not exist are left out of a commit.
    Path hosts = c.dir().resolve("hosts");
    StringBuilder h = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    for (String extra : spec.extraHosts()) {
      int colon = extra.indexOf(':');
      if (colon <= 0) {
        throw new EngineException("invalid extra host \"" + extra + "\": expected host:ip", null);
      }
      h.append(extra.substring(colon + 1)).append('\t').append(extra, 0, colon).append('\n');
    }
    h.append("127.0.1.1\t").append(hostname).append('\n');
    Files.writeString(hosts, h);
    Files.writeString(c.dir().resolve("hostname"), hostname + "\n");
    boolean hostNetwork = spec.network().filter("host"::equals).isPresent();
    List<RuntimeSpec.Mount> mounts = new ArrayList<>();
    mounts.add(new RuntimeSpec.Mount("/etc/hosts", "bind", hosts.toString(), List.of("rbind", "rprivate")));
    mounts.add(new RuntimeSpec.Mount("/etc/hostname", "bind", c.dir().resolve("hostname").toString(),
        List.of("rbind", "rprivate")));
    Path resolv = Path.of("/etc/resolv.conf");
    if (Files.isRegularFile(resolv)) {
      Files.copy(resolv, c.dir().resolve("resolv.conf"));
      mounts.add(new RuntimeSpec.Mount("/etc/resolv.conf", "bind", c.dir().resolve("resolv.conf").toString(),
          List.of("rbind", "rprivate")));
    }
    for (Binds b : binds) {
      if (!Files.exists(b.host())) {
        Files.createDirectories(b.host()); // as docker run -v does
      }
      mounts.add(new RuntimeSpec.Mount(b.container(), "bind", b.host().toString(),
          List.of("rbind", "rprivate", b.readOnly() ? "ro" : "rw")));
    }
    Set<String> created = new LinkedHashSet<>();
    for (RuntimeSpec.Mount m : mounts) {
      recordMissing(rootfs, m.destination(), created);
    }
    for (String std : List.of("/proc", "/dev", "/sys")) {
      recordMissing(rootfs, std, created);
    }
    c.excludeFromCommit(created);
    c.containerConfig(new ImageConfigs.ContainerConfig(env,
        spec.workingDir().filter(d -> !d.isBlank()).orElse(image.workingDir())));
    Files.write(c.dir().resolve("config.json"), RuntimeSpec.write(c.dir().relativize(rootfs).toString(),
        hostname, args, processEnv, cwd, user, NestedRuntimeFlags.capDrop(spec.capDrop()), hostNetwork, mounts));
  }

  /** Adds the first missing component of {@code path} in the root (what the runtime will create). */
  private static void recordMissing(Path rootfs, String path, Set<String> created) throws IOException {
    StringBuilder rel = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (rel.length() > 0) {
        rel.append('/');
      }
      rel.append(part);
      if (!RootfsPaths.exists(rootfs.resolve(rel.toString()))) {
        created.add(rel.toString());
        return;
      }
    }
  }

  /** 64 random hex digits, as Docker's container ids; the first 12 are the host name. */
  private static String name(String prefix) {
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  Optional<Path> containerDir(String id) {
    Path d = cache.containers().resolve(id);
    return Files.exists(d) ? Optional.of(d) : Optional.empty();
  }
}
