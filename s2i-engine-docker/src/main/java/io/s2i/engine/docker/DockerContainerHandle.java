package io.s2i.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.engine.ArchiveSource;
import io.s2i.engine.CommitSpec;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.EngineException;
import io.s2i.engine.ExitStatus;
import io.s2i.engine.OutputSink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
  private final String id;
  private final String name;
  private final boolean openStdin;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Runnable afterRemoval;

  DockerContainerHandle(DockerConnection docker, String id, String name, boolean openStdin) {
    this(docker, id, name, openStdin, () -> { });
  }

  /** {@code afterRemoval}: runs once the container is gone (volumes made for it can go then). */
  DockerContainerHandle(DockerConnection docker, String id, String name, boolean openStdin, Runnable afterRemoval) {
    this.docker = docker;
    this.id = id;
    this.name = name;
    this.openStdin = openStdin;
    this.afterRemoval = afterRemoval;
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
        docker.client()
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
    try {
      // Attach before start, so that neither early output nor the start of stdin is missed.
      output = OutputAttachment.attach(docker, id, sink, rawStdout);
      if (openStdin) {
        // With no input, an empty stream still closes stdin, so the process is not left waiting.
        feeder = StdinFeeder.attach(docker, id, stdin.orElse(out -> {}));
      }
      start();
      int code = awaitExit();
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
      if (feeder != null) {
        feeder.close();
      }
      if (output != null) {
        output.close();
      }
    }
  }

  /**
   * The exit code, from {@code POST /containers/{id}/wait} on a thread of its own: the request
   * blocks until the container exits, and an interrupt must still end the wait at once (the build's
   * clean-up removes the container, which ends the request).
   */
  private int awaitExit() throws EngineException, InterruptedException {
    CompletableFuture<RawRequests.Answer> exit = new CompletableFuture<>();
    Thread waiting = new Thread(() -> {
      try {
        exit.complete(RawRequests.post(docker, "/containers/" + id + "/wait"));
      } catch (IOException | RuntimeException e) {
        exit.completeExceptionally(e);
      }
    }, "s2i-wait-" + shortId());
    waiting.setDaemon(true);
    waiting.start();
    try {
      RawRequests.Answer answer = exit.get();
      JsonNode status = answer.ok() ? answer.json() : null;
      if (status == null || !status.path("StatusCode").isIntegralNumber()) {
        throw new EngineException("cannot wait for container " + shortId() + ": "
            + (answer.ok() ? "the daemon gave no exit code" : answer.error()), null);
      }
      String error = status.path("Error").path("Message").asText("");
      if (!error.isEmpty()) {
        throw new EngineException("cannot wait for container " + shortId() + ": " + DockerErrors.oneLine(error), null);
      }
      return status.path("StatusCode").asInt();
    } catch (ExecutionException e) {
      throw new EngineException("cannot wait for container " + shortId() + ": " + DockerErrors.message(e.getCause()),
          e.getCause());
    } catch (IOException e) {
      throw new EngineException("cannot wait for container " + shortId() + ": " + DockerErrors.message(e), e);
    }
  }

  private boolean oomKilled() {
    try {
      RawRequests.Answer answer = RawRequests.get(docker, "/containers/" + id + "/json");
      return answer.ok() && answer.json().path("State").path("OOMKilled").asBoolean(false);
    } catch (IOException | RuntimeException e) {
      // The exit code is already known; the OOM flag is only a hint for the message.
      LOG.debug("cannot inspect container {} after exit", id, e);
      return false;
    }
  }

  @Override
  public boolean copyOut(String path, OutputStream out) throws EngineException {
    try {
      RawRequests.Answer answer = RawRequests.getStreaming(docker, "/containers/" + id + "/archive?path="
          + URLEncoder.encode(path, StandardCharsets.UTF_8), tar -> tar.transferTo(out));
      if (answer.status() == 404) {
        return false;
      }
      if (!answer.ok()) {
        throw new EngineException("cannot copy " + path + " out of container " + shortId() + ": " + answer.error(),
            null);
      }
      return true;
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
    afterRemoval.run();
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

  private String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
