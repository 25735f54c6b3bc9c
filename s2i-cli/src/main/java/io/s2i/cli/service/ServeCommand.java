package io.s2i.cli.service;

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

  @Override
  public Integer call() throws Exception {
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
    io.s2i.service.executor.BuildExecutor executor;
    String runsOn;
    if (executorName.equals("kubernetes")) {
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
      executor = new LocalExecutor(engine, new UploadExtractor(settings.maxUploadBytes() * 4, 200_000),
          LeftoverCleaners.forEngine(engine));
      runsOn = engine.name() + " engine";
    } else {
      throw new S2iException(FailureReason.INVALID_REQUEST, "--executor " + executorName + " is not local or kubernetes",
          "use --executor local (the default) or --executor kubernetes");
    }
    BuildServer server;
    try {
      server = BuildServer.start(settings, executor);
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

  static long bytes(String text) throws S2iException {
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
      throw new S2iException(FailureReason.INVALID_REQUEST, "--max-upload " + text + " is not a size",
          "write it as 500m or 2g", e);
    }
  }

  /** Keeps the list of leftovers cleaners in one place for the lead to wire (#14's labels). */
  static final class LeftoverCleaners {
    private LeftoverCleaners() {}

    static LocalExecutor.LeftoverCleaner forEngine(ContainerEngine engine) {
      return builds -> List.of();
    }
  }
}
