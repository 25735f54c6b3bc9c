package io.s2i.internal.build.strategy;

import io.s2i.internal.build.ContainerOutputRelay;
import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult;
import io.s2i.api.EnvVar;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.internal.archive.BuildContextArchive;
import io.s2i.internal.build.BuildSession;
import io.s2i.internal.build.UserPolicy;
import io.s2i.internal.build.step.ResolveScriptsStep;
import io.s2i.internal.build.step.SourceTreeFactory;
import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.internal.contract.ContractPaths;
import io.s2i.internal.contract.ScriptName;
import io.s2i.internal.scripts.ResolvedScript;
import io.s2i.internal.scripts.ScriptDownloader;
import io.s2i.internal.scripts.ScriptResolver;
import io.s2i.internal.source.EnvironmentFiles;
import io.s2i.internal.source.PreparedSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Upstream's ONBUILD strategy (spec §3.2), for builders with ONBUILD triggers: the source is the
 * context of an image build whose Dockerfile starts {@code FROM} the builder, so the triggers run
 * on it. Scripts found outside the image are placed at the source root; the entrypoint is the
 * first executable {@code run}, {@code start}, {@code exec} or {@code execute} (optionally
 * {@code .sh}) there. Unlike upstream, the {@code -e}/{@code -E} variables are kept too.
 */
public final class OnBuildStrategy implements BuildStrategy {
  private static final List<String> ENTRYPOINTS = List.of(
      "exec", "exec.sh", "execute", "execute.sh", "run", "run.sh", "start", "start.sh");
  private final ScriptDownloader downloader;

  public OnBuildStrategy(ScriptDownloader downloader) {
    this.downloader = downloader;
  }

  @Override
  public BuildResult execute(BuildSession session, BuilderImageContract builder)
      throws S2iException, InterruptedException {
    BuildRequest request = session.request();
    EventSink events = session.events();
    UserPolicy.check(request.run().allowedUids(), request.run().assembleUser(), builder);
    events.detail("Builder " + builder.imageName() + " has ONBUILD instructions: building with its triggers");
    PreparedSource source = session.source();
    Map<ScriptName, ResolvedScript> scripts = session.step("InstallScripts",
        () -> new ResolveScriptsStep(new ScriptResolver(downloader, events)).run(
            EnumSet.noneOf(ScriptName.class), EnumSet.of(ScriptName.ASSEMBLE, ScriptName.RUN),
            request.scripts(), Optional.of(source), builder, scriptsDir(session)));
    Map<String, Path> atRoot = new TreeMap<>();
    scripts.values().forEach(s -> {
      if (s instanceof ResolvedScript.Uploaded up) {
        atRoot.put(up.name().fileName(), up.file());
      }
    });
    String entrypoint = entrypoint(source.root(), atRoot.keySet());
    boolean hasAssemble = atRoot.containsKey("assemble") || Files.isRegularFile(source.root().resolve("assemble"));
    String dockerfile = OnBuildDockerfile.render(request.builderImage().withDefaultTag(), env(request, source),
        hasAssemble, entrypoint);
    events.debug("ONBUILD Dockerfile:\n" + dockerfile);
    Set<String> replaced = new java.util.HashSet<>(atRoot.keySet());
    replaced.add("Dockerfile");
    BuildContextArchive context = new BuildContextArchive(
        SourceTreeFactory.of(source, request.source().excludePattern(), request.source().keepSymlinks(),
            scripts.values(), "", replaced),
        atRoot, dockerfile);
    String id = session.step("BuildDockerImage", () -> session.engine().images().build(
        context, request.tag().map(Object::toString), request.run().network(), new ContainerOutputRelay(events)));
    Map<String, String> labels = session.engine().images().inspect(id)
        .map(i -> i.labels()).orElse(Map.of());
    return new BuildResult(id, request.tag(), labels, session.timings());
  }

  private static String entrypoint(Path root, Set<String> scriptsAtRoot) throws S2iException {
    for (String name : ENTRYPOINTS) {
      Path p = root.resolve(name);
      if (scriptsAtRoot.contains(name) || (Files.isRegularFile(p) && Files.isExecutable(p))) {
        return name;
      }
    }
    throw new S2iException(FailureReason.INVALID_REQUEST, "no valid entrypoint specified",
        "add an executable run, start, exec or execute script (optionally ending in .sh) to the source root, or provide a run script");
  }

  private static List<EnvVar> env(BuildRequest request, PreparedSource source) throws S2iException {
    List<EnvVar> env = new ArrayList<>();
    try {
      env.addAll(EnvironmentFiles.readSourceEnvironment(
          io.s2i.internal.source.SourceFiles.contractFile(source, ContractPaths.SOURCE_ENVIRONMENT_FILE)));
    } catch (IOException e) {
      throw new S2iException(FailureReason.FETCH_SOURCE_FAILED,
          "could not read " + ContractPaths.SOURCE_ENVIRONMENT_FILE + ": " + e.getMessage(), null, e);
    }
    env.addAll(request.env());
    BuildOnlyVariables.refuse(env, "a builder with ONBUILD triggers");
    return env;
  }

  private static Path scriptsDir(BuildSession session) throws S2iException {
    try {
      return session.workspace().scriptsDir();
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC, "could not create the scripts directory: " + e.getMessage(), null, e);
    }
  }
}
