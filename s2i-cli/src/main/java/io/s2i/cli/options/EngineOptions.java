package io.s2i.cli.options;

import io.s2i.cli.S2iCli;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineResolver;
import io.s2i.engine.EngineUnavailableException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** Opens the engine the global flags and the environment name. */
public final class EngineOptions {
  /**
   * The engines this distribution ships (their jars are runtime dependencies of the CLI). An
   * engine named by {@code --engine} that is none of these is looked for with the class-path scan
   * that finds every other provider.
   */
  private static final List<String> BUNDLED_ENGINES = List.of(
      "io.s2i.engine.docker.DockerEngineProvider", "io.s2i.engine.oci.OciEngineProvider");
  /** Set by {@link #prepare}: the resolver whose engine is already being opened. */
  private static volatile CompletableFuture<EngineResolver> preparedResolver;

  private EngineOptions() {}

  /**
   * Starts opening the engine that {@code --url} and {@code --engine} (null when not given) name,
   * in the background, so that a later {@link #open} with the same values finds it ready or on
   * its way; with other values, {@code open} starts afresh. For the start of {@code main}.
   */
  public static void prepare(String url, String engine) {
    CompletableFuture<EngineResolver> resolver = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        EngineResolver found = resolverFor(name(engine));
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
    return resolver(name(root.engine)).resolve(name(root.engine), environment(root.url), log);
  }

  private static EngineResolver resolver(Optional<String> name) {
    CompletableFuture<EngineResolver> prepared = preparedResolver;
    preparedResolver = null;
    if (prepared != null) {
      try {
        EngineResolver early = prepared.join();
        if (name.isEmpty() || early.offers(name.get())) {
          return early;
        }
      } catch (CompletionException | CancellationException e) {
        // fall through: finding them here reports the problem where it belongs
      }
    }
    return resolverFor(name);
  }

  private static EngineResolver resolverFor(Optional<String> name) {
    EngineResolver bundled = EngineResolver.of(BUNDLED_ENGINES);
    return name.isEmpty() || bundled.offers(name.get()) ? bundled : EngineResolver.fromClassPath();
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
