package io.s2i.engine.oci;

import io.s2i.internal.fs.FileTrees;
import io.s2i.api.FailureReason;
import io.s2i.engine.ArchiveSource;
import io.s2i.internal.archive.StreamPipe;
import io.s2i.engine.CommitSpec;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.EngineException;
import io.s2i.engine.ExitStatus;
import io.s2i.engine.OutputSink;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container of the daemonless engine: a directory with the runtime bundle and the root, either
 * an overlayfs mount (with its upper and work dirs) over the cached layers or a copy of them (see
 * {@link RootfsStrategy}), both in the container's scratch space. Closing kills it in the runtime,
 * unmounts the root and the scratch space and removes the directory, whatever state it is in.
 */
final class OciContainerHandle implements ContainerHandle {
  private static final Logger LOG = LoggerFactory.getLogger(OciContainerHandle.class);
  private final String id;
  private final Path dir;
  private final OciContainerRunner.Runtime runtime;
  private final LayerCache cache;
  private final OciImageStore images;
  private final String imageId;
  private final boolean openStdin;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean mounted;
  private volatile Path upper;
  private volatile Path scratch;
  private volatile Path root;
  // A copied root: what it held before the container first ran, which commit compares it with.
  private volatile RootfsSnapshot snapshot;
  private volatile boolean started;
  private volatile Process process;
  private Set<String> excluded = Set.of();
  private java.nio.channels.FileChannel lockChannel;
  private ImageConfigs.ContainerConfig containerConfig;

  OciContainerHandle(String id, Path dir, OciContainerRunner.Runtime runtime, LayerCache cache,
      OciImageStore images, String imageId, boolean openStdin) {
    this.id = id;
    this.dir = dir;
    this.runtime = runtime;
    this.cache = cache;
    this.images = images;
    this.imageId = imageId;
    this.openStdin = openStdin;
    this.root = dir.resolve("rootfs");
  }

  @Override
  public String id() {
    return id;
  }

  Path dir() {
    return dir;
  }

  Path rootfs() {
    return root;
  }

  /** Whether the root is a copy of the layers rather than an overlayfs mount. */
  boolean copied() {
    return snapshot != null;
  }

  void excludeFromCommit(Set<String> paths) {
    this.excluded = Set.copyOf(paths);
  }

  void containerConfig(ImageConfigs.ContainerConfig config) {
    this.containerConfig = config;
  }

  /**
   * Marks the container as owned by this process for as long as it lives: a container dir whose
   * lock is free was left by a killed process and is swept ({@link StaleContainers}).
   */
  void lock() throws IOException {
    lockChannel = java.nio.channels.FileChannel.open(dir.resolve(StaleContainers.LOCK),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
    lockChannel.lock();
  }

  /** The directory for the writable layer (or the copied root): a tmpfs or the container's dir. */
  private Path scratch() throws IOException {
    if (scratch == null) {
      scratch = runtime.scratch().prepare(dir);
    }
    return scratch;
  }

  /**
   * Mounts the overlay root over {@code lowers} (top first). Returns false, having removed what it
   * made, when overlayfs fails for a reason a copy avoids and {@code strategy} allows a copy.
   *
   * @throws EngineException when mounts are not permitted (a copy needs the runtime's mounts
   *     too), or overlayfs fails and no copy is allowed
   */
  boolean mountOverlay(List<Path> lowers, RootfsStrategy strategy) throws IOException, EngineException {
    Path layerDir = scratch();
    upper = Files.createDirectory(layerDir.resolve("upper"));
    Path work = Files.createDirectory(layerDir.resolve("work"));
    Files.createDirectories(rootfs());
    StringBuilder options = new StringBuilder("lowerdir=");
    for (int i = 0; i < lowers.size(); i++) {
      options.append(i == 0 ? "" : ":").append(lowers.get(i));
    }
    options.append(",upperdir=").append(upper).append(",workdir=").append(work);
    Commands.Result r = Commands.run(List.of("mount", "-t", "overlay", "overlay", "-o", options.toString(),
        rootfs().toString()));
    if (!r.ok()) {
      boolean denied = r.output().contains("ermission denied") || r.output().contains("not permitted");
      if (!denied && strategy.mayCopy()) {
        strategy.overlayUnavailable("mounting overlayfs failed: " + r.oneLine());
        FileTrees.delete(upper);
        FileTrees.delete(work);
        upper = null;
        return false;
      }
      throw new EngineException(denied ? FailureReason.ENGINE_UNAVAILABLE : FailureReason.ENGINE_FAILED,
          "cannot mount the container's root file system"
          + " (overlayfs): " + r.oneLine(), denied
              ? "run s2i as root (mounts need CAP_SYS_ADMIN), or use --engine docker"
              : "check that the kernel has overlayfs (modprobe overlay) and that the cache directory "
                  + cache.root() + " is not itself on overlayfs, or set S2I_OCI_ROOTFS=copy", null);
    }
    mounted = true;
    return true;
  }

  /**
   * Makes the root a plain directory in the scratch space: the layers {@code diffIds} (bottom
   * first) applied one after the other from their cached tars, then snapshotted for the commit.
   */
  void assemble(List<String> diffIds) throws IOException {
    long t0 = System.nanoTime();
    Path copy = Files.createDirectories(scratch().resolve("rootfs"));
    root = copy;
    for (String diffId : diffIds) {
      cache.applyLayer(diffId, copy);
    }
    long t1 = System.nanoTime();
    snapshot = RootfsSnapshot.take(copy);
    LOG.debug("container {}: root copied from {} layers in {} ms, snapshot in {} ms", id, diffIds.size(),
        (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
  }

  @Override
  public void copyIn(String directory, ArchiveSource archive) throws EngineException {
    Path target;
    try {
      target = RootfsPaths.resolve(rootfs(), directory);
    } catch (IOException e) {
      throw new EngineException("cannot copy files into " + directory + " in container " + id + ": "
          + e.getMessage(), e);
    }
    if (!Files.isDirectory(target)) {
      throw new EngineException("cannot copy files into " + directory + " in container " + id
          + ": no such directory", null);
    }
    AtomicReference<Throwable> writeFailure = new AtomicReference<>();
    StreamPipe pipe = new StreamPipe(1 << 16);
    try (InputStream in = pipe.source()) {
      OutputStream out = pipe.sink();
      Thread writer = new Thread(() -> {
        try (out) {
          archive.writeTo(out);
        } catch (Throwable t) {
          writeFailure.set(t);
        }
      }, "s2i-copy-in-" + id);
      writer.setDaemon(true);
      writer.start();
      try {
        new LayerUnpacker(target, LayerUnpacker.Mode.PLAIN, true).unpack(in);
        in.transferTo(OutputStream.nullOutputStream());
      } finally {
        in.close();
        writer.join();
      }
      if (writeFailure.get() != null) {
        throw new IOException("cannot write the archive: " + writeFailure.get().getMessage(), writeFailure.get());
      }
    } catch (IOException e) {
      throw new EngineException("cannot copy files into " + directory + " in container " + id + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(FailureReason.INTERRUPTED, "interrupted while copying into " + id, null, e);
    }
  }

  @Override
  public ExitStatus run(Optional<ArchiveSource> stdin, OutputSink sink)
      throws EngineException, InterruptedException {
    return run(stdin, sink, null);
  }

  @Override
  public ExitStatus runCapturingStdout(OutputStream stdout, OutputSink stderr)
      throws EngineException, InterruptedException {
    return run(Optional.empty(), stderr, stdout);
  }

  private ExitStatus run(Optional<ArchiveSource> stdin, OutputSink sink, OutputStream rawStdout)
      throws EngineException, InterruptedException {
    if (stdin.isPresent() && !openStdin) {
      throw new EngineException("container " + id + " was created without an open stdin; cannot feed it input", null);
    }
    // The runtime's own messages go to a log file, so stderr carries only the container's.
    Path log = dir.resolve("runtime.log");
    List<String> command = new java.util.ArrayList<>(List.of(runtime.binary().toString()));
    command.addAll(NestedRuntimeFlags.global(runtime.binary()));
    command.addAll(List.of("--root", runtime.stateRoot().toString(), "--log", log.toString(), "--log-format", "json",
        "run"));
    command.addAll(NestedRuntimeFlags.run(runtime.binary()));
    command.addAll(List.of("--bundle", dir.toString(), id));
    ProcessBuilder pb = new ProcessBuilder(command);
    if (!openStdin) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process p;
    try {
      started = true;
      p = pb.start();
    } catch (IOException e) {
      throw new EngineException(FailureReason.ENGINE_FAILED, "cannot start container " + id + ": " + e.getMessage(),
          "install runc or crun (apt-get install runc)", e);
    }
    process = p;
    AtomicBoolean noSpace = new AtomicBoolean();
    OutputPump out = rawStdout != null ? OutputPump.raw(p.getInputStream(), rawStdout, "s2i-out-" + id)
        : OutputPump.lines(p.getInputStream(), line -> {
          noSpace.compareAndSet(false, ScratchSpace.saysNoSpace(line));
          sink.stdout(line);
        }, "s2i-out-" + id);
    OutputPump err = OutputPump.lines(p.getErrorStream(), line -> {
      noSpace.compareAndSet(false, ScratchSpace.saysNoSpace(line));
      sink.stderr(line);
    }, "s2i-err-" + id);
    Thread feeder = null;
    AtomicReference<Throwable> feedFailure = new AtomicReference<>();
    if (openStdin) {
      ArchiveSource input = stdin.orElse(o -> { });
      AtomicBoolean pipeBroken = new AtomicBoolean();
      feeder = new Thread(() -> {
        try (OutputStream o = new PipeStream(p.getOutputStream(), pipeBroken)) {
          input.writeTo(o);
        } catch (Throwable t) {
          // A broken pipe only means the container exited without reading all of its input;
          // a failure of the archive itself (such as bad artifacts) is the caller's to know.
          if (!pipeBroken.get()) {
            feedFailure.set(t);
          }
        }
      }, "s2i-stdin-" + id);
      feeder.setDaemon(true);
      feeder.start();
    }
    try {
      int code = p.waitFor();
      IOException outFailure = out.finish();
      err.finish();
      if (feeder != null) {
        feeder.join();
      }
      if (outFailure != null) {
        throw new EngineException("cannot read the output of container " + id + ": " + outFailure.getMessage(),
            outFailure);
      }
      if (feedFailure.get() != null) {
        Throwable t = feedFailure.get();
        throw new EngineException("cannot write the input archive for container " + id + " (it exited with "
            + code + "): " + t.getMessage(), t);
      }
      if (code != 0 && noSpace.get() && runtime.scratch().inMemory()) {
        sink.stderr("s2i: the container's writable layer is in memory (a tmpfs of "
            + (runtime.scratch().tmpfsBytes().get() >> 20) + " MiB) and ran out of room; set"
            + " S2I_OCI_SCRATCH=disk to keep it on disk, or memory:SIZE for a bigger one");
      }
      if (code != 0) {
        Optional<String> startFailure = RuntimeLog.startFailure(log);
        if (startFailure.isPresent()) {
          // As Docker's start does: the process never ran, which is not an exit status.
          throw new EngineException("cannot start container " + id + ": " + startFailure.get(), null);
        }
      }
      return new ExitStatus(code, false);
    } catch (InterruptedException e) {
      kill();
      throw e;
    }
  }

  /** The process's stdin; remembers whether writing to it failed (the pipe broke). */
  private static final class PipeStream extends java.io.FilterOutputStream {
    private final AtomicBoolean broken;

    PipeStream(OutputStream out, AtomicBoolean broken) {
      super(out);
      this.broken = broken;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        broken.set(true);
        throw e;
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        broken.set(true);
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      try {
        out.close();
      } catch (IOException e) {
        broken.set(true);
        throw e;
      }
    }
  }

  private void kill() {
    Process p = process;
    if (p != null && p.isAlive()) {
      Commands.run(List.of(runtime.binary().toString(), "--root", runtime.stateRoot().toString(), "kill", id, "KILL"));
      p.destroyForcibly();
    }
  }

  @Override
  public boolean copyOut(String path, OutputStream out) throws EngineException {
    try {
      Path source = RootfsPaths.resolve(rootfs(), path);
      if (!RootfsPaths.exists(source)) {
        return false;
      }
      TarOfPath.write(source, out);
      return true;
    } catch (IOException e) {
      throw new EngineException("cannot copy " + path + " out of container " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes what the container changed as a layer into the cache and returns its diff id; no image
   * is made (for builds that commit several steps into one image).
   */
  String commitLayer() throws IOException {
    Path tmp = cache.tempDir("commit-");
    try {
      Path layer = tmp.resolve("layer.tar");
      long t0 = System.nanoTime();
      String diffId = snapshot != null ? LayerDiff.write(snapshot.changes(), excluded, layer)
          : LayerDiff.write(upper, excluded, layer);
      cache.putLayerFile(layer, diffId);
      LOG.debug("container {}: new layer of {} bytes in {} ms", id, Files.size(cache.blob(diffId)),
          (System.nanoTime() - t0) / 1_000_000);
      return diffId;
    } finally {
      FileTrees.deleteQuietly(tmp);
    }
  }

  @Override
  public String commit(CommitSpec spec) throws EngineException {
    try {
      String diffId = commitLayer();
      long t1 = System.nanoTime();
      byte[] config = ImageConfigs.committed(cache.config(imageId), containerConfig, spec, diffId);
      String newId = cache.writeBlob(config);
      Optional<String> repo = spec.repository().filter(r -> !r.isBlank());
      if (repo.isPresent()) {
        cache.name(repo.get(), newId);
      }
      Optional<ContainerEngine> daemon = images.daemon();
      if (daemon.isPresent()) {
        // So that docker run works on the result after a build, as with the Docker engine.
        images.loadIntoDaemon(daemon.get(), newId, repo, Optional.of(imageId));
        LOG.debug("container {}: image {} loaded into the {} engine in {} ms", id, newId, daemon.get().name(),
            (System.nanoTime() - t1) / 1_000_000);
      }
      return newId;
    } catch (IOException e) {
      throw new EngineException(FailureReason.COMMIT_FAILED, "cannot commit container " + id + ": "
          + e.getMessage(), null, e);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (started) {
      kill();
      Commands.Result r = Commands.run(List.of(runtime.binary().toString(), "--root",
          runtime.stateRoot().toString(), "delete", "--force", id));
      if (!r.ok() && !r.output().contains("does not exist")) {
        LOG.debug("cannot delete container {}: {}", id, r.oneLine());
      }
    }
    if (mounted) {
      if (!StaleContainers.unmount(rootfs())) {
        return; // never delete through a mounted root: that would delete the image's files
      }
      mounted = false;
    }
    if (!ScratchSpace.release(dir)) {
      return;
    }
    FileTrees.deleteQuietly(dir);
    if (lockChannel != null) {
      try {
        lockChannel.close();
      } catch (IOException ignored) {
        // the file is gone with the directory
      }
    }
  }
}
