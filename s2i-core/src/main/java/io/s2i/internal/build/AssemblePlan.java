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

  /** The environment of the build's containers as {@code NAME=VALUE} entries, build-only ones included. */
  public List<String> envEntries() {
    return env.stream().map(EnvVar::toEntry).toList();
  }

  /**
   * The environment an image made from {@code base} keeps: a build-only variable gets the base's
   * own value back, or an empty one. It must be named: a commit merges in the container's
   * variables the spec leaves out (Docker's rule, which the engine contract keeps), and the
   * container had the value.
   */
  public List<String> imageEnvEntries(io.s2i.engine.ImageInfo base) {
    List<String> out = new java.util.ArrayList<>();
    java.util.Set<String> kept = new java.util.HashSet<>();
    for (EnvVar e : env) {
      if (!e.buildOnly()) {
        out.add(e.toEntry());
        kept.add(e.name());
      }
    }
    for (EnvVar e : env) {
      if (e.buildOnly() && kept.add(e.name())) {
        out.add(e.name() + "=" + base.envValue(e.name()).orElse(""));
      }
    }
    return out;
  }

  /**
   * The environment as the inputs digest sees it: build-only variables by name only, so that a
   * digest (written in a label) says nothing of a secret's value.
   */
  public List<String> digestEnvEntries() {
    return env.stream().map(e -> e.buildOnly() ? e.name() + " (build-only)" : e.toEntry()).toList();
  }
}
