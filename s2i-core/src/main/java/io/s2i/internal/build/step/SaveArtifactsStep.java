package io.s2i.internal.build.step;

import io.s2i.internal.build.ContainerOutputRelay;
import io.s2i.api.EventSink;
import io.s2i.api.RunOptions;
import io.s2i.internal.archive.InjectionArchive;
import io.s2i.internal.archive.TarSourceException;
import io.s2i.internal.archive.TarStreamSource;
import io.s2i.internal.build.AssemblePlan;
import io.s2i.internal.build.PhaseDeadline;
import io.s2i.internal.contract.ScriptName;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerRunner;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.EngineException;
import io.s2i.engine.ExitStatus;
import io.s2i.engine.ImageInfo;
import io.s2i.internal.scripts.ResolvedScript;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The previous image's artifacts as a live tar stream: a container of the previous image runs
 * {@code save-artifacts}, and its stdout is relayed into the new build's input tar while it is
 * written, with no temporary file. A save-artifacts script from outside the image (the source's
 * {@code .s2i/bin} or a scripts URL) is copied into that container first, so the current script is
 * used rather than whatever an earlier build left behind. An assemble container fed through an
 * {@link ArtifactsHandOver} gets them through named pipes instead ({@link #runInto}).
 */
public final class SaveArtifactsStep implements TarStreamSource {
  private final ContainerRunner runner;
  private final EventSink events;
  private final ImageInfo previous;
  private final String previousRef;
  private final AssemblePlan plan;
  private final RunOptions options;

  public SaveArtifactsStep(ContainerRunner runner, EventSink events, ImageInfo previous,
      String previousRef, AssemblePlan plan, RunOptions options) {
    this.runner = runner;
    this.events = events;
    this.previous = previous;
    this.previousRef = previousRef;
    this.plan = plan;
    this.options = options;
  }

  @Override
  public void withStream(Consumer consumer) throws IOException {
    String path = plan.scriptPath(ScriptName.SAVE_ARTIFACTS);
    try (ContainerHandle container = create(List.of(), List.of(path), options.volumes())) {
      relay(container, consumer);
    } catch (EngineException e) {
      throw couldNotRun(e);
    } catch (InterruptedException e) {
      throw interrupted();
    }
  }

  /**
   * Runs save-artifacts with its stdout going to the pipe {@code ArtifactsHandOver.MOUNT/out} of
   * {@code handOver} instead of the engine's attach stream, and waits for it to end. {@code created}
   * learns the container, so that a failed hand-over can stop it; the caller removes it (once it
   * has told the assemble container, which need not wait for the removal).
   *
   * @throws TarSourceException when the container could not run or the script failed
   */
  void runInto(ArtifactsHandOver handOver, java.util.function.Consumer<ContainerHandle> created)
      throws TarSourceException, java.io.InterruptedIOException {
    List<String> binds = new java.util.ArrayList<>(options.volumes());
    binds.add(handOver.bind());
    String command = ArtifactsHandOver.saveCommand(plan.scriptPath(ScriptName.SAVE_ARTIFACTS));
    ContainerOutputRelay output = new ContainerOutputRelay(events);
    ExitStatus status;
    ContainerHandle container;
    try {
      container = create(List.of("/bin/sh", "-c"), List.of(command), binds, created);
    } catch (EngineException e) {
      throw couldNotRun(e);
    }
    PhaseDeadline deadline = deadline(container);
    try {
      status = container.run(Optional.empty(), output);
    } catch (EngineException e) {
      throw deadline.expired() ? timedOut(deadline) : couldNotRun(e);
    } catch (InterruptedException e) {
      throw interrupted();
    } finally {
      deadline.close();
    }
    if (deadline.expired()) {
      throw timedOut(deadline);
    }
    check(status, output);
  }

  private ContainerHandle create(List<String> entrypoint, List<String> cmd, List<String> binds)
      throws EngineException {
    return create(entrypoint, cmd, binds, c -> { });
  }

  /** The container of the previous image, with an uploaded script copied in where it runs from. */
  private ContainerHandle create(List<String> entrypoint, List<String> cmd, List<String> binds,
      java.util.function.Consumer<ContainerHandle> created) throws EngineException {
    ResolvedScript script = plan.scripts().get(ScriptName.SAVE_ARTIFACTS);
    String path = plan.scriptPath(ScriptName.SAVE_ARTIFACTS);
    String user = plan.assembleUser().isEmpty() ? previous.user() : plan.assembleUser();
    ContainerSpec spec = new ContainerSpec(previous.id(),
        "s2i_save_" + previousRef.replaceAll("[^A-Za-z0-9]", "_"), user, List.of(),
        entrypoint, cmd, Optional.empty(), false, options.network(), options.capDrop(),
        binds, options.addHosts());
    events.detail("Saving artifacts from " + previousRef + " with " + path);
    ContainerHandle container = runner.create(spec);
    created.accept(container);
    try {
      if (script instanceof ResolvedScript.Uploaded uploaded) {
        container.copyIn("/", new InjectionArchive(List.of(new InjectionArchive.Item(uploaded.file(), path, 0755))));
      }
    } catch (EngineException | RuntimeException e) {
      container.close();
      throw e;
    }
    return container;
  }

  private TarSourceException couldNotRun(EngineException e) {
    return new TarSourceException("save-artifacts could not run in " + previousRef + ": " + e.getMessage(), e);
  }

  private static java.io.InterruptedIOException interrupted() {
    Thread.currentThread().interrupt();
    return new java.io.InterruptedIOException("interrupted while saving artifacts");
  }

  private void check(ExitStatus status, ContainerOutputRelay output) throws TarSourceException {
    if (!status.succeeded()) {
      throw new TarSourceException("save-artifacts exited with status " + status.code() + " in " + previousRef
          + (output.stderrTail().isEmpty() ? "" : ": " + String.join(" ", output.stderrTail())));
    }
  }

  private void relay(ContainerHandle container, Consumer consumer)
      throws IOException, InterruptedException {
    ContainerOutputRelay stderr = new ContainerOutputRelay(events);
    ExitStatus status;
    PhaseDeadline deadline = deadline(container);
    try {
      status = TarPipe.connect("s2i-save-artifacts",
          out -> container.runCapturingStdout(out, stderr), consumer::accept, container::close);
    } catch (IOException e) {
      if (deadline.expired()) {
        throw timedOut(deadline);
      }
      if (e instanceof TarSourceException t) {
        throw t;
      }
      throw new TarSourceException("reading the artifacts of " + previousRef + " failed: " + e.getMessage(), e);
    } catch (ExecutionException e) {
      if (deadline.expired()) {
        throw timedOut(deadline);
      }
      throw new TarSourceException("save-artifacts failed in " + previousRef + ": " + e.getCause().getMessage(), e.getCause());
    } finally {
      deadline.close();
    }
    if (deadline.expired()) {
      throw timedOut(deadline);
    }
    check(status, stderr);
  }

  /** Removes the container when save-artifacts runs past its limit: its stream then ends. */
  private PhaseDeadline deadline(ContainerHandle container) {
    return PhaseDeadline.start("save-artifacts in " + previousRef, options.timeouts().saveArtifactsLimit(),
        "run.timeouts.saveArtifacts", container);
  }

  /** The timeout, carried as the stream's failure; the assemble step reports it as the build's. */
  private static TarSourceException timedOut(PhaseDeadline deadline) {
    PhaseDeadline.PhaseTimeoutException e = deadline.error();
    return new TarSourceException(e.getMessage(), e);
  }
}
