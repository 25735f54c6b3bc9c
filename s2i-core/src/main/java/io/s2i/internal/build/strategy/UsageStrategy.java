package io.s2i.internal.build.strategy;

import io.s2i.internal.build.ContainerOutputRelay;
import io.s2i.api.BuildEvent;
import io.s2i.api.UsageRequest;
import io.s2i.api.UsageResult;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.internal.archive.InputArchive;
import io.s2i.internal.build.AssembleCommand;
import io.s2i.internal.build.AssembleFailedException;
import io.s2i.internal.build.BuildSession;
import io.s2i.internal.build.step.InspectBuilderStep;
import io.s2i.internal.build.step.ResolveScriptsStep;
import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.internal.contract.ContractPaths;
import io.s2i.internal.contract.ScriptName;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.ExitStatus;
import io.s2i.internal.fs.UnixPaths;
import io.s2i.internal.scripts.ResolvedScript;
import io.s2i.internal.scripts.ScriptDownloader;
import io.s2i.internal.scripts.ScriptResolver;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code s2i usage}: runs the builder's {@code usage} script the way assemble runs (same input tar
 * with an empty {@code src/}, the image's own user, no environment) and commits nothing. Upstream
 * commits an untagged image afterwards; that image is of no use, so it is not made.
 */
public final class UsageStrategy {
  private final ScriptDownloader downloader;

  public UsageStrategy(ScriptDownloader downloader) {
    this.downloader = downloader;
  }

  public UsageResult execute(UsageRequest request, BuildSession session) throws S2iException, InterruptedException {
    EventSink events = session.events();
    BuilderImageContract builder = session.step("PullBuilderImage",
        () -> new InspectBuilderStep(session.engine().images(), events).run(request.builderImage(), request.builderPull()));
    Map<ScriptName, ResolvedScript> scripts;
    try {
      var dir = session.workspace().scriptsDir();
      scripts = session.step("InstallScripts",
          () -> new ResolveScriptsStep(new ScriptResolver(downloader, events)).run(
              EnumSet.of(ScriptName.USAGE), EnumSet.noneOf(ScriptName.class),
              request.scripts(), Optional.empty(), builder, dir));
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC,
          "could not create the scripts directory: " + e.getMessage(), null, e);
    }
    String destination = request.scripts().destination().or(builder::destination)
        .orElse(ContractPaths.DEFAULT_DESTINATION);
    ResolvedScript usage = scripts.get(ScriptName.USAGE);
    InputArchive.Builder archive = InputArchive.builder().warnings(events::warn);
    String path;
    if (usage instanceof ResolvedScript.InImage inImage) {
      path = inImage.path();
    } else {
      ResolvedScript.Uploaded up = (ResolvedScript.Uploaded) usage;
      archive.script(ScriptName.USAGE.fileName(), up.file());
      path = UnixPaths.join(destination, ContractPaths.SCRIPTS_DIR + "/" + ScriptName.USAGE.fileName());
    }
    String command = AssembleCommand.withInputs(destination, path);
    ContainerSpec spec = new ContainerSpec(builder.image().id(),
        "s2i_usage_" + request.builderImage().withDefaultTag().replaceAll("[^A-Za-z0-9]", "_"),
        "", List.of(), List.of("/bin/sh", "-c"), List.of(command), Optional.empty(), true,
        request.run().network(), request.run().capDrop(), List.of(), List.of());
    List<String> output = new java.util.ArrayList<>();
    EventSink collecting = event -> {
      if (event instanceof BuildEvent.ContainerOutput line && line.stream() == BuildEvent.Stream.STDOUT) {
        synchronized (output) {
          if (output.size() < UsageResult.MAX_LINES) {
            output.add(line.line());
          }
        }
      }
      events.accept(event);
    };
    ExitStatus status = session.step("Usage", () -> {
      try (ContainerHandle container = session.engine().containers().create(spec)) {
        return container.run(Optional.of(archive.build()), new ContainerOutputRelay(collecting));
      }
    });
    if (!status.succeeded()) {
      throw new AssembleFailedException("usage script exited with status " + status.code()
          + " in " + request.builderImage().withDefaultTag(), status.code(),
          "read the script's output above");
    }
    synchronized (output) {
      return new UsageResult(builder.image().id(), output, session.timings());
    }
  }
}
