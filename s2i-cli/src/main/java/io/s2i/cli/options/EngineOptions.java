package io.s2i.cli.options;

import io.s2i.cli.S2iCli;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineResolver;
import io.s2i.engine.EngineUnavailableException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Opens the engine the global flags and the environment name. */
public final class EngineOptions {
  /** Set by {@link #prepare}: the resolver whose engine is already being opened. */
  private static volatile EngineResolver preparedResolver;

  private EngineOptions() {}

  /**
   * Starts opening the engine that {@code --url} and {@code --engine} (null when not given) name,
   * in the background, so that a later {@link #open} with the same values finds it ready or on
   * its way; with other values, {@code open} starts afresh. For the start of {@code main}.
   */
  public static void prepare(String url, String engine) {
    EngineResolver resolver = EngineResolver.fromClassPath();
    resolver.prepare(name(engine), environment(url));
    preparedResolver = resolver;
  }

  /** The engine for this invocation. */
  public static ContainerEngine open(S2iCli root) throws EngineUnavailableException {
    return open(root, line -> {});
  }

  /** The engine for this invocation; {@code log} hears of each engine probed and the one chosen. */
  public static ContainerEngine open(S2iCli root, Consumer<String> log)
      throws EngineUnavailableException {
    EngineResolver resolver = preparedResolver;
    preparedResolver = null;
    if (resolver == null) {
      resolver = EngineResolver.fromClassPath();
    }
    return resolver.resolve(name(root.engine), environment(root.url), log);
  }

  private static Optional<String> name(String engine) {
    return Optional.ofNullable(engine).filter(n -> !n.isBlank());
  }

  private static Map<String, String> environment(String url) {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (url != null && !url.isBlank()) {
      env.put("DOCKER_HOST", url);
    }
    return env;
  }
}
