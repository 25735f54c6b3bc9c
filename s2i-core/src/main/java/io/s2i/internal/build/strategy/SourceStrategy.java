package io.s2i.internal.build.strategy;

import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult;
import io.s2i.api.EventSink;
import io.s2i.api.S2iException;
import io.s2i.internal.build.AssemblePlan;
import io.s2i.internal.build.AssemblePlanner;
import io.s2i.internal.archive.ArchiveMirror;
import io.s2i.internal.archive.TarStreamSource;
import io.s2i.internal.build.ArtifactsUnavailableException;
import io.s2i.internal.build.BuildSession;
import io.s2i.internal.build.CleanupRegistry;
import io.s2i.internal.build.MissingShellOrTarException;
import io.s2i.internal.build.PreviousImage;
import io.s2i.internal.build.RuntimeImage;
import io.s2i.internal.build.step.RuntimeImageStage;
import io.s2i.internal.build.step.SaveArtifactsStep;
import io.s2i.internal.build.UserPolicy;
import io.s2i.internal.build.step.CommitImageStep;
import io.s2i.internal.build.step.InputsDigest;
import io.s2i.internal.build.step.ResolveScriptsStep;
import io.s2i.internal.build.step.RunAssembleStep;
import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.internal.contract.S2iLabels;
import io.s2i.internal.contract.ScriptName;
import io.s2i.engine.ContainerHandle;
import io.s2i.internal.scripts.ResolvedScript;
import io.s2i.internal.scripts.ScriptDownloader;
import io.s2i.internal.scripts.ScriptResolver;
import io.s2i.internal.source.PreparedSource;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's normal ("sti") flow: one container of the builder unpacks the sources and scripts
 * from its stdin and runs assemble; the container is committed with the run script as command.
 */
public final class SourceStrategy implements BuildStrategy {
  private final ScriptDownloader downloader;

  public SourceStrategy(ScriptDownloader downloader) {
    this.downloader = downloader;
  }

  @Override
  public BuildResult execute(BuildSession session, BuilderImageContract builder)
      throws S2iException, InterruptedException {
    BuildRequest request = session.request();
    EventSink events = session.events();
    UserPolicy.check(request.run().allowedUids(), request.run().assembleUser(), builder);
    Optional<RuntimeImage> runtime = session.step("PullRuntimeImage",
        () -> RuntimeImage.prepare(request, session.engine().images(), events));
    PreparedSource source = session.source();
    Map<ScriptName, ResolvedScript> builderScripts = session.step("InstallScripts",
        () -> new ResolveScriptsStep(new ScriptResolver(downloader, events)).run(
            EnumSet.of(ScriptName.ASSEMBLE, ScriptName.RUN),
            EnumSet.of(ScriptName.SAVE_ARTIFACTS),
            request.scripts(), Optional.of(source), builder, downloadDir(session)));
    Map<ScriptName, ResolvedScript> scripts = runtime.isPresent()
        ? withAssembleRuntime(session, builderScripts, source, runtime.get()) : builderScripts;
    AssemblePlan plan = new AssemblePlanner(events).plan(request, builder, source, scripts);
    InputsDigest inputsDigest = InputsDigest.of(session, plan, runtime);
    Optional<io.s2i.engine.ImageInfo> candidate = reuseCandidate(session);
    if (candidate.isPresent() && inputsDigest.sameAs(candidate.get())) {
      return reused(session, candidate.get());
    }
    Optional<PreviousImage> previous = session.step("PullPreviousImage",
        () -> PreviousImage.find(request, scripts, session.engine().images(), events));
    // The builder container of an extended build is not the output, and its inputs may be artifacts.
    boolean removeInputs = !request.outputOptions().keepInputs() && runtime.isEmpty();
    Optional<ArchiveMirror> mirror = inputsDigest.mirror();
    ContainerHandle container = session.step("Assemble",
        () -> assemble(session, plan, previous, removeInputs, mirror));
    Map<String, String> digestLabel = inputsDigest.label();
    CommitImageStep.Committed committed = runtime.isPresent()
        ? extendedBuild(session, plan, container, runtime.get(), digestLabel)
        : session.step("CommitContainer", () -> new CommitImageStep(events).run(request, plan, container,
            builder.image(), plan.scriptPath(ScriptName.RUN), digestLabel));
    if (previous.isPresent() && request.incremental().get().removePreviousImage()) {
      previous.get().remove(session.engine().images(), committed.imageId(), events);
    }
    return new BuildResult(committed.imageId(), request.tag(), committed.labels(), session.timings());
  }

  /**
   * The runtime half of an extended build. An incremental one first keeps the builder's state as
   * an image recorded on the output, where the next build's save-artifacts runs (upstream refuses
   * incremental extended builds).
   */
  private static CommitImageStep.Committed extendedBuild(BuildSession session, AssemblePlan plan,
      ContainerHandle builder, RuntimeImage runtime, Map<String, String> digestLabel)
      throws S2iException, InterruptedException {
    Map<String, String> extraLabels = new java.util.HashMap<>(digestLabel);
    extraLabels.putAll(io.s2i.internal.contract.BuildProvenance.runtimeLabels(session.request().runtime().orElseThrow()));
    CleanupRegistry.Registration stateImage = null;
    if (session.request().incremental().isPresent()) {
      String id = session.step("CommitBuilderState",
          () -> new CommitImageStep(session.events()).commitBuilderState(plan, builder));
      stateImage = session.cleanup().registerUnlessKept("image " + id,
          () -> session.engine().images().remove(id));
      extraLabels.put(S2iLabels.ARTIFACTS_IMAGE, id);
    }
    Map<String, String> labels = extraLabels;
    CommitImageStep.Committed committed = session.step("AssembleRuntime",
        () -> new RuntimeImageStage(session.engine().containers(), session.cleanup(), session.events())
            .run(session.request(), plan, builder, runtime, plan.scripts(), labels));
    if (stateImage != null) {
      stateImage.keep();
    }
    return committed;
  }

  /** The image already carrying the tag, when it may be reused and records its inputs. */
  private static Optional<io.s2i.engine.ImageInfo> reuseCandidate(BuildSession session) throws S2iException {
    BuildRequest request = session.request();
    if (request.tag().isEmpty() || !request.outputOptions().reuseUnchanged()) {
      return Optional.empty();
    }
    return session.engine().images().inspect(request.tag().get().withDefaultTag())
        .filter(i -> i.label(S2iLabels.INPUTS_DIGEST).isPresent());
  }

  private static BuildResult reused(BuildSession session, io.s2i.engine.ImageInfo existing) throws S2iException {
    BuildRequest request = session.request();
    // An engine may keep the image where the daemon it feeds no longer has it (the oci engine's
    // cache after a docker rmi): tagging it again puts it back there.
    session.engine().images().tag(existing.id(), request.tag().get().withDefaultTag());
    session.events().info("Image " + request.tag().get().withDefaultTag() + " is up to date: it was"
        + " built from the same inputs (turn outputOptions.reuseUnchanged off to build it again)");
    return new BuildResult(existing.id(), request.tag(), existing.labels(), session.timings());
  }

  private Map<ScriptName, ResolvedScript> withAssembleRuntime(BuildSession session,
      Map<ScriptName, ResolvedScript> scripts, PreparedSource source, RuntimeImage runtime)
      throws S2iException, InterruptedException {
    Map<ScriptName, ResolvedScript> found = session.step("InstallRuntimeScripts",
        () -> new ResolveScriptsStep(new ScriptResolver(downloader, session.events())).run(
            EnumSet.noneOf(ScriptName.class), EnumSet.of(ScriptName.ASSEMBLE_RUNTIME),
            session.request().scripts(), Optional.of(source), runtime.contract(), downloadDir(session)));
    Map<ScriptName, ResolvedScript> all = new java.util.EnumMap<>(scripts);
    all.putAll(found);
    return all;
  }

  private static ContainerHandle assemble(BuildSession session, AssemblePlan plan,
      Optional<PreviousImage> previous, boolean removeInputs, Optional<ArchiveMirror> mirror)
      throws S2iException, InterruptedException {
    BuildRequest request = session.request();
    RunAssembleStep step = new RunAssembleStep(session.engine().containers(), session.cleanup(), session.events(),
        Optional.of(session.workspace().root()));
    Optional<TarStreamSource> artifacts = previous.map(p -> new SaveArtifactsStep(
        session.engine().containers(), session.events(), p.info(), p.ref(), plan, request.run()));
    RunAssembleStep.Delivery delivery = RunAssembleStep.Delivery.STDIN;
    while (true) {
      try {
        return step.run(plan, request.run(), request.source().excludePattern(),
            request.source().keepSymlinks(), artifacts, delivery, removeInputs, mirror);
      } catch (MissingShellOrTarException e) {
        if (delivery == RunAssembleStep.Delivery.COPY) {
          throw e;
        }
        session.events().info("Image is missing basic requirements (" + e.getMessage()
            + "), layered build will be performed");
        delivery = RunAssembleStep.Delivery.COPY;
      } catch (ArtifactsUnavailableException e) {
        if (artifacts.isEmpty()) {
          throw e;
        }
        session.events().warn("Clean build will be performed because of error saving previous build artifacts: "
            + e.getMessage());
        artifacts = Optional.empty();
      }
    }
  }

  private static java.nio.file.Path downloadDir(BuildSession session) throws S2iException {
    try {
      return session.workspace().scriptsDir();
    } catch (IOException e) {
      throw new S2iException(io.s2i.api.FailureReason.GENERIC,
          "could not create the scripts directory: " + e.getMessage(), null, e);
    }
  }
}
