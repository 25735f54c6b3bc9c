package io.s2i.cli.options;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.cli.S2iCli;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineResolver;
import io.s2i.engine.EngineUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Opens the engine the global flags and the environment name. An engine the user named is the
 * one used: {@code --engine}, or the Docker engine when an endpoint is named ({@code -U} or
 * {@code DOCKER_HOST}); only when nothing is named is the first engine that answers taken (the
 * oci engine when no daemon answers). The TLS flags travel to the Docker engine as the variables
 * it reads ({@code DOCKER_TLS}, {@code DOCKER_TLS_VERIFY}, {@code S2I_DOCKER_TLS_CA},
 * {@code S2I_DOCKER_TLS_CERT}, {@code S2I_DOCKER_TLS_KEY}).
 */
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
   * The global engine flags as given: {@code --url}, {@code --engine} (null when not given) and
   * upstream's TLS flags.
   */
  public record Flags(String url, String engine, boolean tls, boolean tlsVerify, String ca, String cert,
      String key) {
    /** The flags of a parsed command line. */
    public static Flags of(S2iCli root) {
      return new Flags(root.url, root.engine, root.tls, root.tlsVerify, root.ca, root.cert, root.key);
    }
  }

  /**
   * Which engine to open and the environment it is opened with.
   *
   * @param name the engine named ({@code --engine}, or {@code docker} for a named endpoint); empty
   *     lets the first engine that answers be taken
   * @param environment the process environment with the flags' variables set
   */
  public record Choice(Optional<String> name, Map<String, String> environment) {
    public Choice {
      environment = Map.copyOf(environment);
    }
  }

  /**
   * The engine {@code flags} and {@code processEnvironment} name.
   *
   * @throws S2iException (invalid request) for a TLS flag that could reach nothing: a file that
   *     cannot be read, certificates without TLS, TLS without a {@code tcp://} endpoint
   */
  public static Choice choose(Flags flags, Map<String, String> processEnvironment) throws S2iException {
    Map<String, String> env = new HashMap<>(processEnvironment);
    if (nonBlank(flags.url())) {
      env.put("DOCKER_HOST", flags.url());
    }
    if (flags.tls()) {
      env.put("DOCKER_TLS", "1");
    }
    if (flags.tlsVerify()) {
      env.put("DOCKER_TLS_VERIFY", "1");
    }
    putFile(env, "S2I_DOCKER_TLS_CA", "--ca", flags.ca());
    putFile(env, "S2I_DOCKER_TLS_CERT", "--cert", flags.cert());
    putFile(env, "S2I_DOCKER_TLS_KEY", "--key", flags.key());
    boolean tlsFlag = flags.tls() || flags.tlsVerify();
    boolean fileFlag = nonBlank(flags.ca()) || nonBlank(flags.cert()) || nonBlank(flags.key());
    boolean tlsOn = nonBlank(env.get("DOCKER_TLS")) || nonBlank(env.get("DOCKER_TLS_VERIFY"));
    if (fileFlag && !tlsOn) {
      throw usage("--ca, --cert and --key are used only over TLS, and TLS is off",
          "add --tlsverify (or --tls to skip checking the daemon's certificate)");
    }
    String host = env.getOrDefault("DOCKER_HOST", "");
    if ((tlsFlag || fileFlag) && !host.startsWith("tcp://")) {
      throw usage("TLS (--tls, --tlsverify, --ca, --cert, --key) applies to a tcp:// engine endpoint, and the"
          + " endpoint is " + (host.isBlank() ? "the local socket" : host),
          "name the daemon with -U tcp://HOST:PORT (or DOCKER_HOST)");
    }
    Optional<String> name = Optional.ofNullable(flags.engine()).filter(EngineOptions::nonBlank);
    if (name.isEmpty() && nonBlank(env.get("DOCKER_HOST"))) {
      name = Optional.of("docker");
    }
    return new Choice(name, env);
  }

  /**
   * Starts opening the engine that {@code flags} name, in the background, so that a later
   * {@link #open} with the same choice finds it ready or on its way; with another choice,
   * {@code open} starts afresh. For the start of {@code main}.
   */
  public static void prepare(Flags flags) {
    Choice choice;
    try {
      choice = choose(flags, System.getenv());
    } catch (S2iException e) {
      return; // the parsed command line reports it
    }
    CompletableFuture<EngineResolver> resolver = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        EngineResolver found = resolverFor(choice.name());
        found.prepare(choice.name(), choice.environment());
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
  public static ContainerEngine open(S2iCli root) throws S2iException {
    return open(root, line -> {});
  }

  /** The engine for this invocation; {@code log} hears of each engine probed and the one chosen. */
  public static ContainerEngine open(S2iCli root, Consumer<String> log) throws S2iException {
    return open(choose(Flags.of(root), System.getenv()), log);
  }

  /** The engine {@code choice} names; {@code log} hears of each engine probed and the one chosen. */
  public static ContainerEngine open(Choice choice, Consumer<String> log) throws EngineUnavailableException {
    return resolver(choice.name()).resolve(choice.name(), choice.environment(), log);
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

  private static void putFile(Map<String, String> env, String variable, String flag, String value)
      throws S2iException {
    if (!nonBlank(value)) {
      return;
    }
    Path file = Path.of(value);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw usage(flag + " " + value + " is not a readable file", "give the path of a PEM file");
    }
    env.put(variable, file.toAbsolutePath().toString());
  }

  private static boolean nonBlank(String value) {
    return value != null && !value.isBlank();
  }

  private static S2iException usage(String message, String fix) {
    return new S2iException(FailureReason.INVALID_REQUEST, message, fix);
  }
}
