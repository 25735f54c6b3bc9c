package io.s2i.internal.build.step;

import io.s2i.internal.fs.FileTrees;
import io.s2i.internal.archive.TarRelay;
import io.s2i.internal.archive.TarSourceException;
import io.s2i.internal.build.AssembleCommand;
import io.s2i.engine.ContainerHandle;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands a previous image's artifacts to the assemble container through named pipes in a directory
 * both containers see at {@link #MOUNT}, so that the artifacts (often hundreds of MB) do not cross
 * the engine's attach streams, where the daemon copies every byte on its way out of one container
 * and again on its way into the other. s2i stays in the path: it reads save-artifacts' tar from
 * {@code out}, checks and rewrites it ({@link TarRelay}) into {@code in}, which the assemble
 * container's tar reads, and answers on {@code go} whether assemble may run: only once
 * save-artifacts succeeded and every entry was accepted, as when the artifacts came on stdin.
 */
public final class ArtifactsHandOver implements AutoCloseable {
  /**
   * Under /dev, a tmpfs of the runtime's, so the mount point is made there rather than in the
   * container's layer; the engine would still make one there to serve a request for the
   * container's files, hence {@link CapturedMetadataHandle}.
   */
  public static final String MOUNT = "/dev/s2i-artifacts";
  private static final int BUFFER = 1 << 16;
  private static final long ABANDON_WAIT_MS = 5_000;

  private final Path dir;
  private final SaveArtifactsStep save;
  private final Consumer<String> warnings;
  // Opened read-write first, so neither the reader's open nor the container's waits for the
  // other; closed once save-artifacts has ended, which is what lets the reader see the end.
  private final FileChannel outKeeper;
  private final FileChannel outReader;
  // Read-write as well: the container's open never waits, and the answer stays in the pipe until
  // the container reads it (a pipe with no open end drops what it holds).
  private final FileChannel goWriter;
  private final AtomicReference<ContainerHandle> saver = new AtomicReference<>();
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
  private volatile boolean saverStopped;
  private final CompletableFuture<Void> handedOver = new CompletableFuture<>();
  private final CompletableFuture<Void> saverRemoved = new CompletableFuture<>();
  private volatile boolean started;
  private volatile boolean inOpened;
  private volatile boolean abandoned;

  private ArtifactsHandOver(Path dir, SaveArtifactsStep save, Consumer<String> warnings) throws IOException {
    this.dir = dir;
    this.save = save;
    this.warnings = warnings;
    this.outKeeper = FileChannel.open(dir.resolve("out"), StandardOpenOption.READ, StandardOpenOption.WRITE);
    this.outReader = FileChannel.open(dir.resolve("out"), StandardOpenOption.READ);
    this.goWriter = FileChannel.open(dir.resolve("go"), StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /** Makes a directory of pipes under {@code parent}. */
  public static ArtifactsHandOver create(Path parent, SaveArtifactsStep save, Consumer<String> warnings)
      throws IOException {
    Path dir = Files.createTempDirectory(parent, "artifacts-pipes");
    // Container users other than root must reach the pipes: the directory is the mount itself.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      mkfifo(dir, "out", "in", "go");
      // Made here, owned by s2i: the container can only write into it, not put a link in its place.
      Path metadata = Files.createFile(dir.resolve(AssembleCommand.METADATA_COPY));
      Files.setPosixFilePermissions(metadata, PosixFilePermissions.fromString("rw-rw-rw-"));
      return new ArtifactsHandOver(dir, save, warnings);
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteQuietly(dir);
      throw e;
    }
  }

  /**
   * The bind mount to give both containers. {@code z}: on an SELinux host the engine labels the
   * directory for sharing between containers (without it neither could open the pipes, and every
   * incremental build would fall back to a clean one); elsewhere it changes nothing.
   */
  public String bind() {
    return dir + ":" + MOUNT + ":z";
  }

  /** The directory of the pipes on this host. */
  Path directory() {
    return dir;
  }

  /** The save-artifacts container's command: the script with its stdout into the pipe. */
  public static String saveCommand(String script) {
    return "exec " + AssembleCommand.quote(script) + " > " + MOUNT + "/out";
  }

  /**
   * Starts save-artifacts and the relay from its pipe into the assemble container's, each on a
   * thread of its own; the answer on {@code go} follows when both have ended.
   */
  public void start() {
    started = true;
    CompletableFuture<Void> relayed = new CompletableFuture<>();
    Thread relay = new Thread(() -> {
      try {
        relay();
      } catch (Throwable e) {
        // Recorded before save-artifacts is stopped: its end is then a consequence, not the cause.
        firstFailure.compareAndSet(null, e);
        stopSaver();
      } finally {
        relayed.complete(null);
      }
    }, "s2i-artifacts-relay");
    Thread saving = new Thread(() -> {
      try {
        save.runInto(this, this::saverCreated);
      } catch (Throwable e) {
        firstFailure.compareAndSet(null, e);
      } finally {
        closeQuietly(outKeeper);
      }
      try {
        relayed.get();
      } catch (ExecutionException | InterruptedException e) {
        firstFailure.compareAndSet(null, e);
      }
      Throwable failure = firstFailure.get();
      // Settled before the answer: the container ends only after reading it, and finish() then
      // finds the outcome known.
      if (failure == null) {
        handedOver.complete(null);
      } else {
        handedOver.completeExceptionally(failure);
      }
      answer(failure == null);
      try {
        stopSaver(); // removed while assemble runs
      } finally {
        saverRemoved.complete(null);
      }
    }, "s2i-save-artifacts");
    relay.setDaemon(true);
    saving.setDaemon(true);
    relay.start();
    saving.start();
  }

  /**
   * Called once the assemble container has ended: the failure that stopped the hand-over, if one
   * did. A hand-over still running then is abandoned (the container ended without reading it all,
   * for a reason its exit status tells) and yields no failure of its own.
   */
  public Optional<TarSourceException> finish() throws InterruptedException {
    // A hand-over that failed on its own is settling already (save-artifacts being stopped), and
    // that failure is what ended the container: wait for it rather than abandon it.
    boolean failedAlready = firstFailure.get() != null;
    if (!handedOver.isDone() && !failedAlready) {
      abandon();
    }
    try {
      handedOver.get(ABANDON_WAIT_MS, TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (ExecutionException e) {
      return abandoned && !failedAlready ? Optional.empty() : Optional.of(asTarFailure(e.getCause()));
    } catch (TimeoutException e) {
      abandon();
      return failedAlready ? Optional.of(asTarFailure(firstFailure.get())) : Optional.empty();
    }
  }

  private static TarSourceException asTarFailure(Throwable cause) {
    return cause instanceof TarSourceException t ? t
        : new TarSourceException("the artifacts could not be handed over: " + cause.getMessage(), cause);
  }

  /**
   * The image metadata file the assemble container copied out (see {@link AssembleCommand}); empty
   * when it wrote none. Read once the container has ended.
   */
  public Optional<byte[]> metadata() throws IOException {
    byte[] content = Files.readAllBytes(dir.resolve(AssembleCommand.METADATA_COPY));
    return content.length == 0 ? Optional.empty() : Optional.of(content);
  }

  @Override
  public void close() {
    if (!handedOver.isDone()) {
      abandon();
    }
    closeQuietly(outKeeper);
    closeQuietly(outReader);
    closeQuietly(goWriter);
    if (started) {
      try {
        saverRemoved.get(ABANDON_WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        stopSaver();
      } catch (InterruptedException e) {
        stopSaver();
        Thread.currentThread().interrupt();
      }
    }
    FileTrees.deleteQuietly(dir);
  }

  private void relay() throws IOException {
    try (InputStream from = new BufferedInputStream(Channels.newInputStream(unseekable(outReader)), BUFFER)) {
      // Waits for the assemble container's tar to open the pipe: writing into a pipe nobody has
      // opened yet would lose the bytes once this end closes.
      FileChannel in = FileChannel.open(dir.resolve("in"), StandardOpenOption.WRITE);
      inOpened = true;
      try (OutputStream to = new BufferedOutputStream(Channels.newOutputStream(in), BUFFER)) {
        if (abandoned) {
          throw new InterruptedIOException("the assemble container ended first");
        }
        try {
          TarRelay.copyArchive(from, to, warnings);
        } catch (IOException | RuntimeException e) {
          // Before "in" closes: the container may end as soon as it sees the end of the stream, and
          // finish() must then know that the hand-over failed rather than was cut short.
          firstFailure.compareAndSet(null, e);
          throw e;
        }
      }
    }
  }

  private void answer(boolean ok) {
    try {
      goWriter.write(ByteBuffer.wrap((ok ? "ok\n" : "no\n").getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      // The container is gone: nobody is left to read the answer.
    }
  }

  private void abandon() {
    abandoned = true;
    stopSaver();
    closeQuietly(outKeeper);
    closeQuietly(outReader);
    // A relay still waiting to open "in" (its reader never came) is let through by opening the
    // other end; a few tries cover a relay thread that had not reached its open yet.
    for (int i = 0; i < 50 && !inOpened && !handedOver.isDone(); i++) {
      try (FileChannel unblock = FileChannel.open(dir.resolve("in"), StandardOpenOption.READ,
          StandardOpenOption.WRITE)) {
        Thread.sleep(10);
      } catch (IOException | InterruptedException e) {
        break;
      }
    }
  }

  private void saverCreated(ContainerHandle container) {
    saver.set(container);
    if (saverStopped) {
      container.close();
    }
  }

  private void stopSaver() {
    saverStopped = true;
    ContainerHandle container = saver.get();
    if (container != null) {
      container.close();
    }
  }

  /**
   * The channel without its file-channel face: a stream over a {@link FileChannel} skips by moving
   * its position, which a pipe does not have (the bytes would stay in the pipe, unread).
   */
  private static ReadableByteChannel unseekable(FileChannel channel) {
    return new ReadableByteChannel() {
      @Override
      public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
      }

      @Override
      public boolean isOpen() {
        return channel.isOpen();
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  private static void mkfifo(Path dir, String... names) throws IOException {
    List<String> command = new ArrayList<>(List.of("mkfifo", "-m", "0666"));
    for (String name : names) {
      command.add(dir.resolve(name).toString());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (process.waitFor() != 0) {
        throw new IOException("mkfifo failed: " + output);
      }
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while making the artifacts pipes");
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing only
    }
  }
}
