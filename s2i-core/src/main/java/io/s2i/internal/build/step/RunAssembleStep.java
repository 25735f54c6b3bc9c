package io.s2i.internal.build.step;

import io.s2i.internal.build.ContainerOutputRelay;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.RunOptions;
import io.s2i.api.S2iException;
import io.s2i.internal.archive.InjectionArchive;
import io.s2i.internal.archive.ArchiveMirror;
import io.s2i.internal.archive.InputArchive;
import io.s2i.internal.build.AssembleCommand;
import io.s2i.internal.build.AssembleFailedException;
import io.s2i.internal.archive.TarSourceException;
import io.s2i.internal.archive.TarStreamSource;
import io.s2i.internal.build.ArtifactsUnavailableException;
import io.s2i.internal.build.AssemblePlan;
import io.s2i.internal.build.CleanupRegistry;
import io.s2i.internal.build.MissingShellOrTarException;
import io.s2i.internal.build.UserIds;
import io.s2i.internal.contract.ContractPaths;
import io.s2i.internal.contract.ScriptName;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerRunner;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.EngineException;
import io.s2i.engine.ExitStatus;
import io.s2i.internal.scripts.ResolvedScript;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Creates the assemble container, streams the inputs into it as one tar on stdin (unpacked by the
 * container's own tar, so files belong to the assemble user) and runs the script. The container
 * stays for the commit; it is removed when the build's cleanup runs.
 */
public final class RunAssembleStep {
  /** The directories a shell searches when neither the request nor the image sets {@code PATH}. */
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private final ContainerRunner runner;
  private final CleanupRegistry cleanup;
  private final EventSink events;
  private final Optional<Path> pipesParent;

  /**
   * With {@code pipesParent}, artifacts from a save-artifacts container reach the assemble
   * container through pipes made there ({@link ArtifactsHandOver}) rather than inside the stdin tar.
   */
  public RunAssembleStep(ContainerRunner runner, CleanupRegistry cleanup, EventSink events,
      Optional<Path> pipesParent) {
    this.runner = runner;
    this.cleanup = cleanup;
    this.events = events;
    this.pipesParent = pipesParent;
  }

  /** How the inputs reach the container. */
  public enum Delivery {
    /** As upstream: a tar on stdin, unpacked by the container's own {@code tar}. */
    STDIN,
    /**
     * Unpacked by the engine before the container starts, owned by the assemble user: for
     * builders without {@code /bin/sh} or {@code tar} (upstream's layered fallback, without the
     * intermediate image).
     */
    COPY
  }

  /** Runs assemble and returns the container that ran it. */
  public ContainerHandle run(AssemblePlan plan, RunOptions options, String excludePattern,
      boolean keepSymlinks, Optional<TarStreamSource> artifacts, Delivery delivery, boolean removeInputs,
      Optional<ArchiveMirror> mirror) throws S2iException, InterruptedException {
    boolean viaStdin = delivery == Delivery.STDIN;
    Optional<ArtifactsHandOver> handOver = viaStdin ? handOver(artifacts) : Optional.empty();
    try {
      return run(plan, options, excludePattern, keepSymlinks, handOver.isPresent() ? Optional.empty() : artifacts,
          viaStdin, removeInputs, mirror, handOver);
    } finally {
      handOver.ifPresent(ArtifactsHandOver::close);
    }
  }

  private Optional<ArtifactsHandOver> handOver(Optional<TarStreamSource> artifacts) {
    if (pipesParent.isEmpty() || artifacts.isEmpty() || !(artifacts.get() instanceof SaveArtifactsStep save)) {
      return Optional.empty();
    }
    try {
      return Optional.of(ArtifactsHandOver.create(pipesParent.get(), save, events::warn));
    } catch (IOException e) {
      events.debug("Artifacts go on stdin: the pipes could not be made (" + e.getMessage() + ")");
      return Optional.empty();
    }
  }

  private ContainerHandle run(AssemblePlan plan, RunOptions options, String excludePattern,
      boolean keepSymlinks, Optional<TarStreamSource> artifacts, boolean viaStdin, boolean removeInputs,
      Optional<ArchiveMirror> mirror, Optional<ArtifactsHandOver> handOver)
      throws S2iException, InterruptedException {
    InputArchive.Builder archive = inputArchive(plan, excludePattern, keepSymlinks, artifacts);
    mirror.ifPresent(archive::mirror);
    InjectionArchive injections = new InjectionArchive(plan.injections().stream()
        .map(i -> new InjectionArchive.Item(i.hostPath(), i.containerPath())).toList());
    List<String> injectedFiles;
    try {
      injectedFiles = injections.injectedFiles();
    } catch (IOException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST,
          "could not read injected files: " + e.getMessage(), "check the run.injections paths", e);
    }
    String script = plan.scriptPath(ScriptName.ASSEMBLE);
    Optional<String> pipes = handOver.map(h -> ArtifactsHandOver.MOUNT);
    String command = removeInputs
        ? AssembleCommand.withInputsRemovedAfter(plan.destination(), script, inputsToRemove(plan), pipes)
        : AssembleCommand.withInputs(plan.destination(), script, pipes);
    List<String> binds = new java.util.ArrayList<>(options.volumes());
    handOver.ifPresent(h -> binds.add(h.bind()));
    ContainerSpec spec = new ContainerSpec(
        plan.builder().image().id(),
        "s2i_" + plan.builderRef().replaceAll("[^A-Za-z0-9]", "_"),
        plan.assembleUser(),
        plan.envEntries(),
        viaStdin ? List.of("/bin/sh", "-c") : List.of(script),
        viaStdin ? List.of(command) : List.of(),
        Optional.empty(),
        viaStdin,
        options.network(),
        options.capDrop(),
        binds,
        options.addHosts());
    events.debug("Assemble container command: " + (viaStdin ? "/bin/sh -c " + command : script));
    // save-artifacts' container starts while this one is made; its output waits in the pipe.
    handOver.ifPresent(ArtifactsHandOver::start);
    ContainerHandle container = runner.create(spec);
    cleanup.register("container " + container.id(), container::close);
    if (!plan.injections().isEmpty()) {
      container.copyIn("/", injections);
      events.detail("Injected " + injectedFiles.size() + " file(s)");
    }
    events.detail("Running \"assemble\" in \"" + plan.builderRef() + "\" as \""
        + (plan.assembleUser().isEmpty() ? "root" : plan.assembleUser()) + "\" user");
    ContainerOutputRelay output = new ContainerOutputRelay(events);
    ExitStatus status;
    Optional<TarSourceException> handOverFailure = Optional.empty();
    try {
      if (!viaStdin) {
        UserIds owner = UserIds.resolve(plan.assembleUser(), container);
        container.copyIn(plan.destination(), archive.owner(owner.uid(), owner.gid()).build());
      }
      try {
        status = container.run(viaStdin ? Optional.of(archive.build()) : Optional.empty(), output);
      } finally {
        if (handOver.isPresent()) {
          handOverFailure = handOver.get().finish();
        }
      }
    } catch (EngineException e) {
      // Whether the shell is missing is asked of the container's file system, not read from the
      // engine's wording of the failed start.
      if (viaStdin && !exists(container, SHELL)) {
        container.close();
        throw new MissingShellOrTarException("the builder image has no " + SHELL);
      }
      Optional<TarSourceException> artifactsFailure = handOverFailure.isPresent() ? handOverFailure
          : causeOfType(e, TarSourceException.class);
      if (artifactsFailure.isPresent()) {
        container.close();
        throw new ArtifactsUnavailableException(artifactsFailure.get().getMessage(), e);
      }
      throw e;
    }
    if (handOverFailure.isPresent()) {
      // The container was told not to run assemble: the artifacts were refused or never came.
      container.close();
      throw new ArtifactsUnavailableException(handOverFailure.get().getMessage(), handOverFailure.get());
    }
    // 127 is the shell's "command not found": tar's, or one of assemble's own.
    if (viaStdin && status.code() == 127 && !onPath(container, "tar", searchPath(plan))) {
      container.close();
      throw new MissingShellOrTarException("the builder image has no tar");
    }
    if (!status.succeeded()) {
      throw failure(plan, status, output.stderrTail());
    }
    if (!injectedFiles.isEmpty()) {
      copyInTruncation(container, injections);
    }
    if (handOver.isPresent()) {
      try {
        return new CapturedMetadataHandle(container, handOver.get().metadata());
      } catch (IOException e) {
        throw new S2iException(FailureReason.GENERIC, "could not read the image metadata file assemble wrote: "
            + e.getMessage(), null, e);
      }
    }
    return container;
  }

  private static final String SHELL = "/bin/sh";

  /**
   * Whether {@code path} exists in the container (a link counts; its parents' links are followed
   * in the container, as the shell would). A probe that fails says yes: the original failure is
   * then reported rather than a fallback that would not help.
   */
  private static boolean exists(ContainerHandle container, String path) {
    try {
      return container.copyOut(path, java.io.OutputStream.nullOutputStream());
    } catch (EngineException e) {
      return true;
    }
  }

  /** Whether {@code program} is in one of the directories of {@code path} in the container. */
  private static boolean onPath(ContainerHandle container, String program, String path) {
    for (String dir : path.split(":")) {
      if (dir.startsWith("/") && exists(container, io.s2i.internal.fs.UnixPaths.join(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** The {@code PATH} the container's shell searched: the request's, else the image's, else the default. */
  private static String searchPath(AssemblePlan plan) {
    String path = null;
    for (String entry : plan.envEntries()) {
      if (entry.startsWith("PATH=")) {
        path = entry.substring("PATH=".length());
      }
    }
    return path != null ? path : plan.builder().image().envValue("PATH").orElse(DEFAULT_PATH);
  }

  /** Everything unpacked under the destination except an uploaded run script, the image's command. */
  private static List<String> inputsToRemove(AssemblePlan plan) {
    List<String> remove = new java.util.ArrayList<>(List.of(ContractPaths.SRC_DIR, ContractPaths.ARTIFACTS_DIR));
    if (plan.scripts().get(ScriptName.RUN) instanceof ResolvedScript.Uploaded) {
      for (ResolvedScript s : plan.scripts().values()) {
        if (s instanceof ResolvedScript.Uploaded && s.name() != ScriptName.RUN) {
          remove.add(ContractPaths.SCRIPTS_DIR + "/" + s.name().fileName());
        }
      }
    } else {
      remove.add(ContractPaths.SCRIPTS_DIR);
    }
    return remove;
  }

  private static void copyInTruncation(ContainerHandle container, InjectionArchive injections)
      throws S2iException {
    try {
      container.copyIn("/", injections.truncation());
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC, "could not truncate injected files: " + e.getMessage(),
          "check the run.injections paths", e);
    }
  }

  private static <T extends Throwable> Optional<T> causeOfType(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return Optional.of(type.cast(c));
      }
    }
    return Optional.empty();
  }

  private InputArchive.Builder inputArchive(AssemblePlan plan, String excludePattern, boolean keepSymlinks,
      Optional<TarStreamSource> artifacts) throws S2iException {
    InputArchive.Builder builder = InputArchiveFactory.of(plan, excludePattern, keepSymlinks)
        .warnings(events::warn);
    artifacts.ifPresent(builder::artifacts);
    return builder;
  }



  private static AssembleFailedException failure(AssemblePlan plan, ExitStatus status, List<String> stderr) {
    String joined = String.join("\n", stderr);
    String suggestion = "read the script's output above to see why it failed";
    if (joined.matches("(?s).*tar.*not found.*") || joined.matches("(?s).*/bin/sh.*(no such file|not found).*")) {
      suggestion = "the builder image lacks tar or /bin/sh, which s2i needs to unpack the sources";
    } else if (joined.contains(plan.destination()) && joined.contains("Cannot open")) {
      suggestion = "the destination " + plan.destination()
          + " does not exist in the builder image: pass an existing directory with scripts.destination";
    } else if (status.oomKilled()) {
      suggestion = "the container ran out of memory";
    }
    return new AssembleFailedException(
        "assemble failed with exit status " + status.code() + " in " + plan.builderRef(),
        status.code(), suggestion);
  }
}
