package io.s2i.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.s2i.archive.ArchiveSource;
import io.s2i.engine.CommitSpec;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.EngineException;
import io.s2i.engine.ExitStatus;
import io.s2i.engine.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A container created on a Docker daemon; closing kills and removes it. */
final class DockerContainerHandle implements ContainerHandle {
  private static final Logger LOG = LoggerFactory.getLogger(DockerContainerHandle.class);
  // After the exit, the daemon closes the output promptly; this only bounds a misbehaving one.
  private static final long OUTPUT_DRAIN_SECONDS = 30;

  private final DockerConnection docker;
  private final DockerClient client;
  private final String id;
  private final String name;
  private final boolean openStdin;
  private final AtomicBoolean closed = new AtomicBoolean();

  DockerContainerHandle(DockerConnection docker, String id, String name, boolean openStdin) {
    this.docker = docker;
    this.client = docker.client();
    this.id = id;
    this.name = name;
    this.openStdin = openStdin;
  }

  @Override
  public String id() {
    return id;
  }

  /** The container's name, {@code prefix_xxxxxxxx}. */
  String name() {
    return name;
  }

  @Override
  public void copyIn(String directory, ArchiveSource archive) throws EngineException {
    try (ArchiveWriter writer = ArchiveWriter.start(archive, "s2i-copy-in-" + shortId(), () -> {})) {
      try {
        client
            .copyArchiveToContainerCmd(id)
            .withRemotePath(directory)
            .withTarInputStream(writer.input())
            .exec();
      } catch (RuntimeException e) {
        Optional<Throwable> archiveFailure = writer.finish();
        throw new EngineException(
            "cannot copy files into " + directory + " in container " + shortId() + ": "
                + DockerErrors.message(archiveFailure.orElse(e)),
            archiveFailure.orElse(e));
      }
      Optional<Throwable> archiveFailure = writer.finish();
      if (archiveFailure.isPresent()) {
        throw new EngineException(
            "cannot write the archive for " + directory + ": "
                + DockerErrors.message(archiveFailure.get()),
            archiveFailure.get());
      }
    }
  }

  @Override
  public ExitStatus runCapturingStdout(OutputStream stdout, OutputSink stderr)
      throws EngineException, InterruptedException {
    return run(Optional.empty(), stderr, stdout);
  }

  @Override
  public ExitStatus run(Optional<ArchiveSource> stdin, OutputSink sink)
      throws EngineException, InterruptedException {
    return run(stdin, sink, null);
  }

  private ExitStatus run(Optional<ArchiveSource> stdin, OutputSink sink, OutputStream rawStdout)
      throws EngineException, InterruptedException {
    if (stdin.isPresent() && !openStdin) {
      throw new EngineException(
          "container " + shortId() + " was created without an open stdin; cannot feed it input",
          null);
    }
    OutputAttachment output = null;
    StdinFeeder feeder = null;
    WaitCallback wait = new WaitCallback();
    try {
      // Attach before start, so that neither early output nor the start of stdin is missed.
      output = OutputAttachment.attach(docker, id, sink, rawStdout);
      if (openStdin) {
        // With no input, an empty stream still closes stdin, so the process is not left waiting.
        feeder = StdinFeeder.attach(docker, id, stdin.orElse(out -> {}));
      }
      start();
      try {
        client.waitContainerCmd(id).exec(wait);
      } catch (RuntimeException e) {
        throw new EngineException(
            "cannot wait for container " + shortId() + ": " + DockerErrors.message(e), e);
      }
      wait.awaitCompletion();
      int code = statusCode(wait);
      output.awaitEnd(OUTPUT_DRAIN_SECONDS, TimeUnit.SECONDS);
      if (feeder != null) {
        Optional<Throwable> archiveFailure = feeder.finish();
        if (archiveFailure.isPresent()) {
          throw new EngineException(
              "cannot write the input archive for container " + shortId() + " (it exited with "
                  + code + "): " + DockerErrors.message(archiveFailure.get()),
              archiveFailure.get());
        }
      }
      // The OOM flag only explains a failure; a successful run needs no extra round trip.
      return new ExitStatus(code, code != 0 && oomKilled());
    } finally {
      closeQuietly(wait);
      if (feeder != null) {
        feeder.close();
      }
      if (output != null) {
        output.close();
      }
    }
  }

  private int statusCode(WaitCallback wait) throws EngineException {
    if (wait.statusCode() != null) {
      return wait.statusCode();
    }
    Throwable cause = wait.error().orElse(null);
    throw new EngineException(
        "cannot wait for container " + shortId() + ": "
            + (cause == null ? "the daemon gave no exit code" : DockerErrors.message(cause)),
        cause);
  }

  private boolean oomKilled() {
    try {
      InspectContainerResponse.ContainerState state = client.inspectContainerCmd(id).exec().getState();
      return state != null && Boolean.TRUE.equals(state.getOOMKilled());
    } catch (RuntimeException e) {
      // The exit code is already known; the OOM flag is only a hint for the message.
      LOG.debug("cannot inspect container {} after exit", id, e);
      return false;
    }
  }

  @Override
  public boolean copyOut(String path, OutputStream out) throws EngineException {
    try (InputStream tar = client.copyArchiveFromContainerCmd(id, path).exec()) {
      tar.transferTo(out);
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      throw new EngineException(
          "cannot copy " + path + " out of container " + shortId() + ": " + DockerErrors.message(e),
          e);
    }
  }

  @Override
  public String commit(CommitSpec spec) throws EngineException {
    return ImageCommitter.commit(docker, id, spec);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Forced: a container still running (the build failed or was interrupted) is killed first.
    try {
      RawRequests.Answer answer = RawRequests.delete(docker, "/containers/" + id + "?v=1&force=1");
      if (!answer.ok() && answer.status() != 404) {
        LOG.debug("cannot remove container {}: {}", id, answer.error());
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot remove container {}", id, e);
    }
  }

  /** Starts the container (a raw request: see {@link RawRequests}). */
  private void start() throws EngineException {
    try {
      RawRequests.Answer answer = RawRequests.post(docker, "/containers/" + id + "/start");
      if (!answer.ok() && answer.status() != 304) { // 304: started already
        throw new EngineException("cannot start container " + shortId() + ": " + answer.error(), null);
      }
    } catch (IOException | RuntimeException e) {
      throw new EngineException("cannot start container " + shortId() + ": " + DockerErrors.message(e), e);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // only releasing a stream
    }
  }

  private String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
