package io.s2i.cli.options;

import io.s2i.cli.S2iCli;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineResolver;
import io.s2i.engine.EngineUnavailableException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** Opens the engine the global flags and the environment name. */
public final class EngineOptions {
  /** Set by {@link #prepare}: the resolver whose engine is already being opened. */
  private static volatile CompletableFuture<EngineResolver> preparedResolver;

  private EngineOptions() {}

  /**
   * Starts opening the engine that {@code --url} and {@code --engine} (null when not given) name,
   * in the background, so that a later {@link #open} with the same values finds it ready or on
   * its way; with other values, {@code open} starts afresh. For the start of {@code main}. Finding
   * the providers runs on that thread too: it reads every jar on the class path.
   */
  public static void prepare(String url, String engine) {
    CompletableFuture<EngineResolver> resolver = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        EngineResolver found = EngineResolver.fromClassPath();
        found.prepare(name(engine), environment(url));
        resolver.complete(found);
      } catch (Throwable e) { // open() finds the providers again and reports it
        resolver.completeExceptionally(e);
      }
    }, "s2i-engine-prepare");
    thread.setDaemon(true);
    thread.start();
    preparedResolver = resolver;
  }

  /** The engine for this invocation. */
  public static ContainerEngine open(S2iCli root) throws EngineUnavailableException {
    return open(root, line -> {});
  }

  /** The engine for this invocation; {@code log} hears of each engine probed and the one chosen. */
  public static ContainerEngine open(S2iCli root, Consumer<String> log)
      throws EngineUnavailableException {
    return resolver().resolve(name(root.engine), environment(root.url), log);
  }

  private static EngineResolver resolver() {
    CompletableFuture<EngineResolver> prepared = preparedResolver;
    preparedResolver = null;
    if (prepared != null) {
      try {
        return prepared.join();
      } catch (CompletionException | CancellationException e) {
        // fall through: finding them here reports the problem where it belongs
      }
    }
    return EngineResolver.fromClassPath();
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
