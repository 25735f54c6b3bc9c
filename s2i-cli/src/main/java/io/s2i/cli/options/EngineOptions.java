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
    return open(root, line -> {});
  }

  /** The engine for this invocation; {@code log} hears of each engine probed and the one chosen. */
  public static ContainerEngine open(S2iCli root, java.util.function.Consumer<String> log)
      throws EngineUnavailableException {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (root.url != null && !root.url.isBlank()) {
      env.put("DOCKER_HOST", root.url);
    }
    Optional<String> name = Optional.ofNullable(root.engine).filter(n -> !n.isBlank());
    return EngineResolver.fromClassPath().resolve(name, env, log);
  }
}
