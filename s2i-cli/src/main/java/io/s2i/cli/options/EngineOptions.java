package io.s2i.cli.options;

import io.s2i.cli.S2iCli;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineResolver;
import io.s2i.engine.EngineUnavailableException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Opens the engine the global flags and the environment name. */
public final class EngineOptions {
  private EngineOptions() {}

  /** The engine for this invocation. */
  public static ContainerEngine open(S2iCli root) throws EngineUnavailableException {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (root.url != null && !root.url.isBlank()) {
      env.put("DOCKER_HOST", root.url);
    }
    return EngineResolver.fromClassPath().resolve(Optional.empty(), env);
  }
}
