package io.s2i.internal.build.step;

import io.s2i.internal.contract.S2iLabels;
import io.s2i.internal.build.ContainerOutputRelay;
import io.s2i.api.BuildRequest;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.PathMapping;
import io.s2i.api.S2iException;
import io.s2i.engine.ArchiveSource;
import io.s2i.internal.archive.TarRelay;
import io.s2i.internal.archive.TarSourceException;
import io.s2i.internal.build.AssembleFailedException;
import io.s2i.internal.build.AssemblePlan;
import io.s2i.internal.build.CleanupRegistry;
import io.s2i.internal.build.ImageScripts;
import io.s2i.internal.build.PhaseDeadline;
import io.s2i.internal.build.RuntimeImage;
import io.s2i.internal.contract.ScriptName;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerRunner;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.ExitStatus;
import io.s2i.internal.fs.UnixPaths;
import io.s2i.internal.scripts.ResolvedScript;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The second half of an extended build: the artifacts are streamed from the builder container
 * into a container of the runtime image (under its working directory, before it starts, so no
 * marker file is needed), {@code assemble-runtime} runs there, and that container is committed.
 */
public final class RuntimeImageStage {
  private final ContainerRunner runner;
  private final CleanupRegistry cleanup;
  private final EventSink events;
  private final Optional<io.s2i.internal.build.TagReplacement> tagReplacement;

  public RuntimeImageStage(ContainerRunner runner, CleanupRegistry cleanup, EventSink events) {
    this(runner, cleanup, events, Optional.empty());
  }

  /** A stage whose commit takes the tag through {@code tagReplacement}. */
  public RuntimeImageStage(ContainerRunner runner, CleanupRegistry cleanup, EventSink events,
      Optional<io.s2i.internal.build.TagReplacement> tagReplacement) {
    this.runner = runner;
    this.cleanup = cleanup;
    this.events = events;
    this.tagReplacement = tagReplacement;
  }

  /** Runs assemble-runtime in a runtime container holding the artifacts, and commits it. */
  public CommitImageStep.Committed run(BuildRequest request, AssemblePlan plan, ContainerHandle builder,
      RuntimeImage runtime, Map<ScriptName, ResolvedScript> scripts, Map<String, String> extraLabels)
      throws S2iException, InterruptedException {
    String workDir = runtime.workDir();
    String assembleRuntime = scriptPath(scripts, ScriptName.ASSEMBLE_RUNTIME, workDir)
        .orElseThrow(() -> new S2iException(FailureReason.INSTALL_SCRIPTS_FAILED,
            "could not determine scripts URL for image \"" + runtime.ref() + "\": no assemble-runtime script was found",
            "give the runtime image an " + S2iLabels.SCRIPTS_URL + " label, or provide .s2i/bin/assemble-runtime"));
    String run = scriptPath(scripts, ScriptName.RUN, workDir).orElseThrow();
    ContainerSpec spec = new ContainerSpec(runtime.contract().image().id(),
        "s2i_" + runtime.ref().replaceAll("[^A-Za-z0-9]", "_"), runtime.user(), plan.envEntries(),
        List.of(assembleRuntime), List.of(), Optional.empty(), false,
        request.run().network(), request.run().capDrop(), List.of(), List.of());
    ContainerHandle container = runner.create(spec);
    cleanup.register("container " + container.id(), container::close);
    ImageScripts.requirePresent(container, runtime.ref(), scripts, ScriptName.ASSEMBLE_RUNTIME, ScriptName.RUN);
    container.copyIn(workDir, artifactsArchive(builder, runtime.artifacts(), scripts));
    events.detail("Running \"assemble-runtime\" in \"" + runtime.ref() + "\"");
    ContainerOutputRelay output = new ContainerOutputRelay(events);
    ExitStatus status;
    PhaseDeadline deadline = PhaseDeadline.start("assemble-runtime in " + runtime.ref(),
        request.run().timeouts().assembleLimit(), "run.timeouts.assemble", container);
    try {
      status = container.run(Optional.empty(), output);
    } catch (io.s2i.engine.EngineException e) {
      if (deadline.expired()) {
        throw deadline.error();
      }
      throw e;
    } finally {
      deadline.close();
    }
    if (deadline.expired()) {
      throw deadline.error();
    }
    if (!status.succeeded()) {
      throw new AssembleFailedException("assemble-runtime failed with exit status " + status.code()
          + " in " + runtime.ref(), status.code(), "read the script's output above to see why it failed");
    }
    return new CommitImageStep(events, tagReplacement).run(request, plan, container, runtime.contract().image(), run,
        extraLabels);
  }

  private static Optional<String> scriptPath(Map<ScriptName, ResolvedScript> scripts, ScriptName name, String workDir) {
    ResolvedScript s = scripts.get(name);
    if (s == null) {
      return Optional.empty();
    }
    if (s instanceof ResolvedScript.InImage inImage) {
      return Optional.of(inImage.path());
    }
    return Optional.of(UnixPaths.join(workDir, "scripts", name.fileName()));
  }

  /** One tar: every artifact under its destination, then the scripts to upload. */
  private ArchiveSource artifactsArchive(ContainerHandle builder, List<PathMapping> artifacts,
      Map<ScriptName, ResolvedScript> scripts) {
    return out -> {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(new io.s2i.internal.archive.NonClosingOutputStream(out));
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (PathMapping m : artifacts) {
        copyArtifact(builder, m, tar);
      }
      for (ScriptName name : List.of(ScriptName.ASSEMBLE_RUNTIME, ScriptName.RUN)) {
        if (scripts.get(name) instanceof ResolvedScript.Uploaded up) {
          TarArchiveEntry e = new TarArchiveEntry("scripts/" + name.fileName());
          e.setSize(Files.size(up.file()));
          e.setMode(0100755);
          tar.putArchiveEntry(e);
          Files.copy(up.file(), tar);
          tar.closeArchiveEntry();
        }
      }
      tar.finish();
    };
  }

  private void copyArtifact(ContainerHandle builder, PathMapping m, TarArchiveOutputStream tar) throws IOException {
    try {
      boolean found = TarPipe.connect("s2i-runtime-artifact",
          o -> builder.copyOut(m.source(), o),
          in -> TarRelay.copy(in, tar, m.destination(), events::warn, true),
          () -> {});
      if (!found) {
        throw new TarSourceException("runtime artifact " + m.source() + " does not exist in the builder image after assemble");
      }
    } catch (ExecutionException e) {
      throw new TarSourceException("could not copy " + m.source() + " out of the builder: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while copying runtime artifacts");
    }
  }
}
