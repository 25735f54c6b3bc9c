package io.s2i.service.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.s2i.service.BuildService;
import io.s2i.service.auth.TokenStore;
import io.s2i.service.model.InvalidInputException;
import java.net.InetAddress;
import java.util.Map;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API on Javalin: routes only (parse, call {@link BuildService}, answer), the bearer-token
 * check for everything under {@code /api/} except webhooks ({@code /api/v1/webhooks/}, which check
 * their own secrets), and every error as a status with a one-line JSON reason.
 */
public final class ApiServer implements AutoCloseable {
  /** The path prefix that needs no token: webhooks verify their own secret or signature. */
  public static final String WEBHOOKS = "/api/v1/webhooks/";
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private final Javalin app;

  private ApiServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts the server.
   *
   * @param extraRoutes routes other parts add (webhooks, the console); may be null
   */
  public static ApiServer start(String host, int port, BuildService service, TokenStore tokens,
      java.util.function.Consumer<Javalin> extraRoutes) {
    return start(host, port, service, tokens, java.util.Optional.empty(), extraRoutes);
  }

  /**
   * Starts the server whose detection preview reads {@code catalogue}, as its builds do.
   *
   * @param extraRoutes routes other parts add (webhooks, the console); may be null
   */
  public static ApiServer start(String host, int port, BuildService service, TokenStore tokens,
      java.util.Optional<java.nio.file.Path> catalogue, java.util.function.Consumer<Javalin> extraRoutes) {
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.http.maxRequestSize = Bodies.MAX_BODY;
      config.jetty.addConnector((server, httpConfig) -> {
        ServerConnector c = new ServerConnector(server);
        c.setHost(host);
        c.setPort(port);
        // A followed log may be quiet for long (a silent assemble); the client decides when to give up.
        c.setIdleTimeout(3_600_000);
        return c;
      });
    });
    app.before("/api/*", ctx -> authorize(ctx, tokens));
    app.get("/healthz", ctx -> ctx.result("ok"));
    app.post("/api/v1/token/rotate", ctx -> Answers.json(ctx, 200, Map.of("token", tokens.rotate())));
    new ConfigRoutes(service).register(app);
    new BuildRoutes(service).register(app);
    new LogRoutes(service).register(app);
    // The console's additions: paged overview, webhook URLs, re-run, detection preview, the pages.
    new OverviewRoutes(service).register(app);
    new WebhookUrlRoutes(service).register(app);
    new RerunRoutes(service).register(app);
    new DetectRoutes(service, new io.s2i.service.detect.LibraryDetection(catalogue)).register(app);
    new io.s2i.service.console.ConsoleRoutes().register(app);
    if (extraRoutes != null) {
      extraRoutes.accept(app);
    }
    app.exception(InvalidInputException.class, (e, ctx) -> Answers.error(ctx, e.status(), e.getMessage()));
    app.exception(HttpResponseException.class, (e, ctx) -> Answers.error(ctx, e.getStatus(), e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> {
      // A webhook's path may hold its secret: never log it.
      LOG.warn("{} {} failed", ctx.method(), hidesSecret(ctx.path()) ? "(a webhook URL)" : ctx.path(), e);
      Answers.error(ctx, 500, "internal error: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    });
    app.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
        Answers.error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
      }
    });
    app.error(405, ctx -> Answers.error(ctx, 405, "method " + ctx.method() + " is not allowed on " + ctx.path()));
    app.start();
    return new ApiServer(app);
  }

  private static void authorize(Context ctx, TokenStore tokens) {
    if (ctx.path().startsWith(WEBHOOKS)) {
      return;
    }
    String header = ctx.header("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    if (!tokens.matches(token)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new InvalidInputException(401, token == null
          ? "no bearer token: send Authorization: Bearer TOKEN (s2i login, or the server's token file)"
          : "the bearer token is not valid");
    }
  }

  private static boolean hidesSecret(String path) {
    return path.startsWith(WEBHOOKS) || path.startsWith("/apis/");
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** Whether {@code host} names only this machine. */
  public static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  @Override
  public void close() {
    app.stop();
  }
}
