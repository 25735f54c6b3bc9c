package io.s2i.internal.build.step;

import io.s2i.api.ScriptsSpec;
import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.internal.contract.ScriptName;
import io.s2i.internal.scripts.ResolvedScript;
import io.s2i.internal.scripts.ScriptResolver;
import io.s2i.internal.source.PreparedSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Finds the scripts a strategy needs, in upstream's order of places. */
public final class ResolveScriptsStep {
  private final ScriptResolver resolver;

  public ResolveScriptsStep(ScriptResolver resolver) {
    this.resolver = resolver;
  }

  public Map<ScriptName, ResolvedScript> run(
      Set<ScriptName> required,
      Set<ScriptName> optional,
      ScriptsSpec spec,
      Optional<PreparedSource> source,
      BuilderImageContract builder,
      Path downloadDir)
      throws io.s2i.api.S2iException {
    return resolver.resolve(new ScriptResolver.Request(
        required, optional, spec.scriptsUrl(), source.map(PreparedSource::root),
        builder.scriptsUrl(), downloadDir, source.flatMap(PreparedSource::cloneDir)));
  }
}
