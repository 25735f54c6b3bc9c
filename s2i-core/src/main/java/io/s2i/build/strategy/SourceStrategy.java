package io.s2i.build.strategy;

import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult;
import io.s2i.api.EventSink;
import io.s2i.api.S2iException;
import io.s2i.build.AssemblePlan;
import io.s2i.build.AssemblePlanner;
import io.s2i.build.BuildSession;
import io.s2i.build.UserPolicy;
import io.s2i.build.step.CommitImageStep;
import io.s2i.build.step.FetchSourceStep;
import io.s2i.build.step.InspectBuilderStep;
import io.s2i.build.step.ResolveScriptsStep;
import io.s2i.build.step.RunAssembleStep;
import io.s2i.contract.BuilderImageContract;
import io.s2i.contract.ScriptName;
import io.s2i.engine.ContainerHandle;
import io.s2i.scripts.ResolvedScript;
import io.s2i.scripts.ScriptDownloader;
import io.s2i.scripts.ScriptResolver;
import io.s2i.source.PreparedSource;
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
  public BuildResult execute(BuildSession session) throws S2iException, InterruptedException {
    BuildRequest request = session.request();
    EventSink events = session.events();
    BuilderImageContract builder = session.step("PullBuilderImage",
        () -> new InspectBuilderStep(session.engine().images(), events).run(request));
    UserPolicy.check(request.run().allowedUids(), request.run().assembleUser(), builder);
    PreparedSource source = session.step("FetchSource",
        () -> new FetchSourceStep(events, session.workspace()).run(request.source()));
    Map<ScriptName, ResolvedScript> scripts = session.step("InstallScripts",
        () -> new ResolveScriptsStep(new ScriptResolver(downloader, events)).run(
            EnumSet.of(ScriptName.ASSEMBLE, ScriptName.RUN),
            EnumSet.of(ScriptName.SAVE_ARTIFACTS),
            request.scripts(), Optional.of(source), builder, downloadDir(session)));
    AssemblePlan plan = new AssemblePlanner(events).plan(request, builder, source, scripts);
    ContainerHandle container = session.step("Assemble",
        () -> new RunAssembleStep(session.engine().containers(), session.cleanup(), events)
            .run(plan, request.run(), request.source().excludePattern(), request.source().keepSymlinks()));
    CommitImageStep.Committed committed = session.step("CommitContainer",
        () -> new CommitImageStep(events).run(request, plan, container));
    return new BuildResult(committed.imageId(), request.tag(), committed.labels(), session.timings());
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
