package io.s2i.internal.build;

import io.s2i.api.EnvVar;
import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.internal.contract.ScriptName;
import io.s2i.internal.scripts.ResolvedScript;
import io.s2i.internal.source.PreparedSource;
import java.util.List;
import java.util.Map;

/**
 * Everything derived for one assemble run: fixed once, never changed afterwards.
 *
 * @param builderRef the builder image as given, with a default tag
 * @param builder the builder's contract
 * @param source the prepared source
 * @param scripts the resolved scripts
 * @param destination where inputs are unpacked in the container
 * @param assembleUser the user assemble runs as
 * @param env the build environment: {@code .s2i/environment}, then the request's
 * @param injections host paths and their absolute container paths
 */
public record AssemblePlan(
    String builderRef,
    BuilderImageContract builder,
    PreparedSource source,
    Map<ScriptName, ResolvedScript> scripts,
    String destination,
    String assembleUser,
    List<EnvVar> env,
    List<Injection> injections) {

  /** A host file or directory made visible at {@code containerPath} during assemble. */
  public record Injection(java.nio.file.Path hostPath, String containerPath) {}

  public AssemblePlan {
    scripts = Map.copyOf(scripts);
    env = List.copyOf(env);
    injections = List.copyOf(injections);
  }

  /** The path a script runs from inside the container. */
  public String scriptPath(ScriptName name) {
    ResolvedScript s = scripts.get(name);
    if (s instanceof ResolvedScript.InImage inImage) {
      return inImage.path();
    }
    return destination + "/scripts/" + name.fileName();
  }

  /** The environment as {@code NAME=VALUE} entries. */
  public List<String> envEntries() {
    return env.stream().map(EnvVar::toEntry).toList();
  }
}
