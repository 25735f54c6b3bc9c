package io.s2i.service;

import io.s2i.service.auth.ClientConfig;
import io.s2i.service.auth.TokenStore;
import io.s2i.service.executor.BuildExecutor;
import io.s2i.service.executor.ExecutorContext;
import io.s2i.service.http.ApiServer;
import io.s2i.service.http.InputRoutes;
import io.s2i.service.http.TriggerRoutes;
import io.s2i.service.logs.LogHub;
import io.s2i.service.queue.BuildDispatcher;
import io.s2i.service.queue.QueueSettings;
import io.s2i.service.store.Database;
import io.s2i.service.store.InputTokens;
import io.s2i.service.store.JdbcBuildStore;
import io.s2i.service.triggers.service.TriggerSettings;
import io.s2i.service.triggers.service.Triggers;
import io.s2i.service.uploads.UploadStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

/**
 * The running build service: database, log hub, queue, executor and REST API, started in that
 * order and closed in reverse. {@code s2i serve} makes one; tests make several.
 */
public final class BuildServer implements AutoCloseable {
  private final Database database;
  private final LogHub logs;
  private final BuildDispatcher dispatcher;
  private final BuildExecutor executor;
  private final ApiServer api;
  private final TokenStore tokens;
  private final BuildService service;
  private final String url;
  private final Triggers triggers;

  private BuildServer(Database database, LogHub logs, BuildDispatcher dispatcher, BuildExecutor executor,
      ApiServer api, TokenStore tokens, BuildService service, String url, Triggers triggers) {
    this.triggers = triggers;
    this.database = database;
    this.logs = logs;
    this.dispatcher = dispatcher;
    this.executor = executor;
    this.api = api;
    this.tokens = tokens;
    this.service = service;
    this.url = url;
  }

  /**
   * Starts a server. The executor is closed with the server.
   *
   * @throws IllegalArgumentException for settings it refuses (a remote address without allowRemote)
   */
  public static BuildServer start(ServerSettings s, BuildExecutor executor) throws IOException {
    return start(s, executor, null);
  }

  /** Starts a server with routes added by other parts (the console). */
  public static BuildServer start(ServerSettings s, BuildExecutor executor,
      java.util.function.Consumer<io.javalin.Javalin> extraRoutes) throws IOException {
    return start(s, executor, TriggerSettings.defaults(), extraRoutes);
  }

  /** Starts a server whose triggers run with {@code triggerSettings}. */
  public static BuildServer start(ServerSettings s, BuildExecutor executor, TriggerSettings triggerSettings,
      java.util.function.Consumer<io.javalin.Javalin> extraRoutes) throws IOException {
    if (!s.allowRemote() && !ApiServer.isLoopback(s.host())) {
      throw new IllegalArgumentException("--address " + s.host() + " is not a loopback address:"
          + " add --allow-remote to serve other machines (and put TLS in front of it)");
    }
    Path data = Files.createDirectories(s.dataDir());
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    Database db = null;
    LogHub logs = null;
    BuildDispatcher dispatcher = null;
    Triggers triggers = null;
    try {
      int pool = Math.max(10, s.maxConcurrent() * 2 + 6);
      db = s.database().isPresent() ? Database.postgres(s.database().get(), pool) : Database.embedded(data, pool);
      JdbcBuildStore store = new JdbcBuildStore(db);
      Clock clock = Clock.systemUTC();
      logs = new LogHub(store, clock, 200);
      UploadStore uploads = new UploadStore(data.resolve("uploads"), s.maxUploadBytes());
      String replica = s.replicaId().orElseGet(() -> hostName() + ":" + s.port() + ":" + data.toAbsolutePath());
      QueueSettings q = new QueueSettings(replica, s.maxConcurrent(), s.lease(), s.rerunInterrupted(),
          Files.createDirectories(data.resolve("work")), db.embedded());
      dispatcher = new BuildDispatcher(store, logs, executor, uploads, q, clock);
      BuildService service = new BuildService(store, dispatcher, uploads, logs, replica);
      TokenStore tokens = TokenStore.open(data.resolve("token"));
      InputTokens inputTokens = new InputTokens(db.dataSource(), clock);
      java.util.concurrent.CompletableFuture<String> serverUrl = new java.util.concurrent.CompletableFuture<>();
      executor.bind(new BoundContext(serverUrl, inputTokens, store));
      dispatcher.start();
      triggers = Triggers.start(db.dataSource(), store, service, triggerSettings, clock);
      TriggerRoutes triggerRoutes = new TriggerRoutes(triggers, service);
      InputRoutes inputRoutes = new InputRoutes(service, inputTokens, replica);
      ApiServer api = ApiServer.start(s.host(), s.port(), service, tokens, executor.builderCatalogue(), app -> {
        triggerRoutes.register(app);
        inputRoutes.register(app);
        if (extraRoutes != null) {
          extraRoutes.accept(app);
        }
      });
      String host = s.host().contains(":") ? "[" + s.host() + "]" : s.host();
      String url = "http://" + host + ":" + api.port();
      serverUrl.complete(url);
      if (s.clientConfig().isPresent()) {
        new ClientConfig(url, tokens.current()).write(s.clientConfig().get());
      }
      return new BuildServer(db, logs, dispatcher, executor, api, tokens, service, url, triggers);
    } catch (IOException | RuntimeException e) {
      if (triggers != null) {
        triggers.close();
      }
      if (dispatcher != null) {
        dispatcher.close();
      }
      if (logs != null) {
        logs.close();
      }
      if (db != null) {
        db.close();
      }
      throw e;
    }
  }

  /** What the executor gets from this server (see {@link ExecutorContext}). */
  private record BoundContext(java.util.concurrent.CompletableFuture<String> url, InputTokens inputTokens,
      JdbcBuildStore store) implements ExecutorContext {
    @Override
    public String serverUrl() {
      try {
        return url.get(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("the server is not listening yet", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the server to listen", e);
      }
    }

    @Override
    public java.util.Optional<io.s2i.service.model.BuildPhase> phase(long buildId) {
      return store.build(buildId).map(b -> b.build().phase());
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    return url;
  }

  /** The port it listens on. */
  public int port() {
    return api.port();
  }

  /** The API token. */
  public String token() {
    return tokens.current();
  }

  /** The triggers (webhooks, image changes). */
  public Triggers triggers() {
    return triggers;
  }

  /** The service (for triggers and the console running in the same process). */
  public BuildService service() {
    return service;
  }

  /** Stops: the API first, then running builds (recorded as interrupted), logs, database. */
  @Override
  public void close() {
    api.close();
    triggers.close();
    dispatcher.close();
    logs.close();
    executor.close();
    database.close();
  }
}
