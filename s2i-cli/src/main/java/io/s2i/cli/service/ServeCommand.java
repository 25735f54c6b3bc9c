package io.s2i.cli.service;

import io.s2i.S2i;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.cli.S2iCli;
import io.s2i.cli.options.EngineOptions;
import io.s2i.engine.ContainerEngine;
import io.s2i.service.BuildServer;
import io.s2i.service.ServerSettings;
import io.s2i.service.auth.ClientConfig;
import io.s2i.service.executor.LocalExecutor;
import io.s2i.service.store.Database;
import io.s2i.service.triggers.service.TriggerSettings;
import io.s2i.service.uploads.UploadExtractor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code s2i serve}: the build service. */
@Command(name = "serve", description = "Run the build service: build configurations, builds, logs, REST API.",
    sortOptions = false)
public final class ServeCommand implements Callable<Integer> {
  @ParentCommand S2iCli root;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Option(names = "--address", paramLabel = "HOST", description = "Address to listen on (default 127.0.0.1).")
  String address = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default 8080; 0 picks a free one).")
  int port = 8080;

  @Option(names = "--allow-remote", description = "Allow an address other than loopback (put TLS in front of it).")
  boolean allowRemote;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "State: embedded database, token, uploads (default ${XDG_DATA_HOME:-~/.local/share}/s2i-java/serve).")
  Path dataDir;

  @Option(names = "--database", paramLabel = "JDBC_URL",
      description = "A shared PostgreSQL database, e.g. jdbc:postgresql://127.0.0.1:5432/s2i?user=s2i&password=...; default: embedded (H2) in the data dir.")
  String database;

  @Option(names = "--max-builds", paramLabel = "N", description = "Builds at once (default: the number of cores).")
  Integer maxBuilds;

  @Option(names = "--on-interrupted", paramLabel = "error|rerun",
      description = "What happens to builds a killed server was running: marked Error (default) or run again.")
  String onInterrupted = "error";

  @Option(names = "--max-upload", paramLabel = "BYTES", description = "Largest binary upload (default 2 GiB; suffixes k, m, g).")
  String maxUpload = "2g";

  @Option(names = "--replica-id", paramLabel = "ID", hidden = true,
      description = "This server's id among servers sharing a database (default: host name, port and data dir).")
  String replicaId;

  @Option(names = "--lease-seconds", paramLabel = "N", hidden = true, description = "Build lease (default 30).")
  int leaseSeconds = 30;

  @Option(names = "--executor", paramLabel = "local|kubernetes",
      description = "Where builds run: local (this machine's engine, the default) or kubernetes (a Job per build; see docs/kubernetes.md).")
  String executorName = "local";

  @Option(names = "--kubernetes-config", paramLabel = "FILE",
      description = "Settings of the kubernetes executor (YAML: namespace, image, resources, nodeSelector, ...).")
  Path kubernetesConfig;

  @Option(names = "--kubernetes-image", paramLabel = "IMAGE",
      description = "s2i's image the build Jobs run (overrides the settings' image).")
  String kubernetesImage;

  @Option(names = "--server-url", paramLabel = "URL",
      description = "This server's own URL as build pods reach it, for binary input (overrides the settings' serverUrl).")
  String serverUrl;

  @Option(names = "--rotate-token", description = "Make a new API token before starting (the old one stops working).")
  boolean rotateToken;

  @Option(names = "--no-client-config", description = "Do not write the client config (server URL and token) for the CLI.")
  boolean noClientConfig;

  @Option(names = "--image-check-interval", paramLabel = "DURATION",
      description = "How often the images that ImageChange triggers follow are checked (e.g. 30s, 5m, 1h; 0 turns"
          + " the checks off, leaving POST /api/v1/imagechange; default 5m).")
  String imageCheckInterval = "5m";

  @Option(names = "--webhook-max-body", paramLabel = "BYTES",
      description = "Largest webhook body read (413 past it; default 5m; suffixes k, m, g).")
  String webhookMaxBody = "5m";

  @Option(names = "--builders", paramLabel = "FILE",
      description = "Builder catalogue (YAML) that builder detection (strategy.detect) reads instead of the"
          + " shipped one; default $S2I_BUILDERS.")
  Path builders;

  @Override
  public Integer call() throws Exception {
    // A server's own account of what it did (webhooks received and why they built or not, image
    // changes, ConfigChange builds) belongs in its log; the CLI's default (warnings) would drop it.
    // The service's log lines hold no secrets. A logger reads this when it is made: before the
    // service's classes load. A -D setting of the user's wins.
    if (System.getProperty("org.slf4j.simpleLogger.log.io.s2i.service") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.io.s2i.service", "info");
    }
    if (!onInterrupted.equals("error") && !onInterrupted.equals("rerun")) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "--on-interrupted " + onInterrupted + " is not error or rerun",
          "use --on-interrupted error or --on-interrupted rerun");
    }
    Path data = dataDir != null ? dataDir : defaultDataDir();
    if (rotateToken) {
      java.nio.file.Files.deleteIfExists(data.resolve("token"));
    }
    ServerSettings settings = new ServerSettings(address, port, allowRemote, data, Optional.ofNullable(database),
        maxBuilds != null ? maxBuilds : Runtime.getRuntime().availableProcessors(), Optional.ofNullable(replicaId),
        Duration.ofSeconds(Math.max(3, leaseSeconds)), onInterrupted.equals("rerun"), bytes(maxUpload),
        noClientConfig ? Optional.empty() : Optional.of(ClientConfig.defaultPath(System.getenv())));
    if (settings.maxConcurrent() < 1) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "--max-builds must be at least 1", null);
    }
    Duration interval = duration("--image-check-interval", imageCheckInterval);
    long hookLimit = bytes("--webhook-max-body", webhookMaxBody);
    if (hookLimit > Integer.MAX_VALUE - 8) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "--webhook-max-body " + webhookMaxBody + " is too large",
          "webhook bodies are read into memory: keep it under 2g");
    }
    Optional<Path> catalogue = Optional.ofNullable(builders)
        .or(() -> Optional.ofNullable(System.getenv("S2I_BUILDERS")).filter(f -> !f.isBlank()).map(Path::of));
    if (catalogue.isPresent() && !java.nio.file.Files.isRegularFile(catalogue.get())) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "the builder catalogue " + catalogue.get() + " is not a file",
          "give the path of a YAML builder catalogue to --builders (or S2I_BUILDERS)");
    }
    io.s2i.api.CredentialSource dockerConfig = io.s2i.Credentials.dockerConfig();
    TriggerSettings triggers = TriggerSettings.defaults()
        .withImageCheckInterval(interval)
        .withWebhookMaxBody((int) hookLimit)
        .withRegistryCredentials(registry -> {
          try {
            return dockerConfig.forImage(registry + "/probe", line -> { });
          } catch (S2iException e) {
            return Optional.empty();
          }
        });
    io.s2i.service.executor.BuildExecutor executor;
    String runsOn;
    ContainerEngine localEngine = null; // the kubernetes executor's janitor removes what its dead builds left
    if (executorName.equals("kubernetes")) {
      if (builders != null) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "--builders applies to --executor local: the kubernetes"
            + " executor does not run builder detection", "name the builder in each configuration's strategy");
      }
      io.s2i.service.executor.kubernetes.KubernetesExecutor kube =
          KubernetesExecutors.open(kubernetesConfig, kubernetesImage, serverUrl);
      executor = kube;
      runsOn = "Jobs in namespace " + kube.namespace() + " with " + kube.settings().image();
    } else if (executorName.equals("local")) {
      if (kubernetesConfig != null || kubernetesImage != null) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "--kubernetes-config and --kubernetes-image need"
            + " --executor kubernetes", "add --executor kubernetes");
      }
      ContainerEngine engine = EngineOptions.open(root, line -> System.err.println(line));
      localEngine = engine;
      executor = new LocalExecutor(engine, new UploadExtractor(settings.maxUploadBytes() * 4, 200_000),
          LeftoverCleaners.forEngine(engine), catalogue);
      // Images named under localhost/ are the engine's own: the image-change checks ask it.
      triggers = triggers.withEngineImages(engine.images());
      runsOn = engine.name() + " engine";
    } else {
      throw new S2iException(FailureReason.INVALID_REQUEST, "--executor " + executorName + " is not local or kubernetes",
          "use --executor local (the default) or --executor kubernetes");
    }
    BuildServer server;
    try {
      server = BuildServer.start(settings, executor, triggers, null);
    } catch (IllegalArgumentException e) {
      executor.close();
      throw new S2iException(FailureReason.INVALID_REQUEST, e.getMessage(), null);
    } catch (RuntimeException e) {
      executor.close();
      throw new S2iException(FailureReason.GENERIC, "the server could not start: " + e.getMessage(),
          database != null ? "check --database " + Database.redact(database) : "check --data-dir " + data, e);
    }
    System.err.println("s2i serve: listening on " + server.url() + " (" + runsOn + ", "
        + settings.maxConcurrent() + " builds at once, " + (database == null ? "embedded database in " + data
        : "database " + Database.redact(database)) + ")");
    System.err.println("s2i serve: API token in " + data.resolve("token")
        + (noClientConfig ? "" : "; client config written to " + ClientConfig.defaultPath(System.getenv())));
    if (localEngine != null) {
      LeftoverCleaners.removed(localEngine).forEach(line -> System.err.println("s2i serve: " + line));
    }
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      System.err.println("s2i serve: stopping");
    } finally {
      server.close();
    }
    return 0;
  }

  static Path defaultDataDir() {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("s2i-java").resolve("serve");
  }

  /** A duration such as {@code 90}, {@code 30s}, {@code 5m} or {@code 1h} (seconds without a unit). */
  static Duration duration(String option, String text) throws S2iException {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      long unit = 1;
      if (t.endsWith("s") || t.endsWith("m") || t.endsWith("h")) {
        unit = t.endsWith("h") ? 3600 : t.endsWith("m") ? 60 : 1;
        t = t.substring(0, t.length() - 1);
      }
      long seconds = Long.parseLong(t) * unit;
      if (seconds < 0) {
        throw new NumberFormatException();
      }
      return Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST, option + " " + text + " is not a duration",
          "write it as 30s, 5m or 1h (0 turns it off)", e);
    }
  }

  static long bytes(String text) throws S2iException {
    return bytes("--max-upload", text);
  }

  static long bytes(String option, String text) throws S2iException {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    long mult = 1;
    if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
      mult = switch (t.charAt(t.length() - 1)) {
        case 'k' -> 1024L;
        case 'm' -> 1024L * 1024;
        default -> 1024L * 1024 * 1024;
      };
      t = t.substring(0, t.length() - 1);
    }
    try {
      long v = Long.parseLong(t) * mult;
      if (v <= 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST, option + " " + text + " is not a size",
          "write it as 500m or 2g", e);
    }
  }

  /**
   * What a server killed outright left of its builds (their containers, the volumes made for them,
   * their temporary directories) is found by the owner the library marks them with and removed by
   * the next server on this machine ({@link S2i#removeLeftovers}). Only things of dead processes go,
   * so a server sharing the engine with other servers or CLI builds never touches theirs.
   */
  static final class LeftoverCleaners {
    private LeftoverCleaners() {}

    /** For the builds a dead server was running: the lines removed go into their logs. */
    static LocalExecutor.LeftoverCleaner forEngine(ContainerEngine engine) {
      return builds -> removed(engine);
    }

    /**
     * Removes them now, named as the build logs name them. Also called once the server is up: a
     * dead server whose builds were already settled (by another server's lease expiry) still left
     * its containers here.
     */
    static List<String> removed(ContainerEngine engine) {
      return S2i.builder().engine(engine).build().removeLeftovers().stream()
          .map(thing -> "Removed " + thing + ", left by a server that was killed").toList();
    }
  }
}
