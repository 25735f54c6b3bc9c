package io.s2i.internal.build;

import io.s2i.api.BuildRequest;
import io.s2i.api.EnvVar;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.PathMapping;
import io.s2i.api.S2iException;
import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.internal.contract.ContractPaths;
import io.s2i.internal.contract.ScriptName;
import io.s2i.internal.scripts.ResolvedScript;
import io.s2i.internal.source.EnvironmentFiles;
import io.s2i.internal.source.PreparedSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Derives the immutable {@link AssemblePlan} from the request, the builder and the source. */
public final class AssemblePlanner {
  private final EventSink events;

  public AssemblePlanner(EventSink events) {
    this.events = events;
  }

  public AssemblePlan plan(
      BuildRequest request,
      BuilderImageContract builder,
      PreparedSource source,
      Map<ScriptName, ResolvedScript> scripts)
      throws S2iException {
    String destination = request.scripts().destination()
        .or(builder::destination)
        .orElse(ContractPaths.DEFAULT_DESTINATION);
    String user = UserPolicy.assembleUser(request.run().assembleUser(), builder);
    List<EnvVar> env = new ArrayList<>();
    try {
      List<EnvVar> fromSource = EnvironmentFiles.readSourceEnvironment(
          source.root().resolve(ContractPaths.SOURCE_ENVIRONMENT_FILE));
      if (!fromSource.isEmpty()) {
        events.detail("Setting " + fromSource.size() + " environment variables provided by environment file in sources");
      }
      env.addAll(fromSource);
    } catch (IOException e) {
      throw new S2iException(FailureReason.FETCH_SOURCE_FAILED,
          "could not read " + ContractPaths.SOURCE_ENVIRONMENT_FILE + ": " + e.getMessage(),
          "check the file's permissions", e);
    }
    env.addAll(request.env());
    return new AssemblePlan(
        request.builderImage().withDefaultTag(), builder, source, scripts, destination, user, env,
        injections(request.run().injections(), builder.image().workingDir()));
  }

  private static List<AssemblePlan.Injection> injections(List<PathMapping> mappings, String workDir)
      throws S2iException {
    List<AssemblePlan.Injection> result = new ArrayList<>();
    String base = workDir.isEmpty() ? "/" : workDir;
    for (PathMapping m : mappings) {
      Path host = Path.of(m.source()).toAbsolutePath().normalize();
      if (!Files.exists(host)) {
        throw new S2iException(FailureReason.INVALID_REQUEST,
            "injected path " + m.source() + " does not exist",
            "give run.injections an existing file or directory on this machine");
      }
      String dst = m.destination();
      String absolute = dst.startsWith("/") ? dst
          : io.s2i.internal.fs.UnixPaths.join(base, dst.equals(".") ? "" : dst);
      result.add(new AssemblePlan.Injection(host, absolute));
    }
    return result;
  }
}
