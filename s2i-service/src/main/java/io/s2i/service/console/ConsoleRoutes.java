package io.s2i.service.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console: plain HTML, CSS and JavaScript modules from the jar (classpath
 * {@code io/s2i/service/console/assets/}), no build step and nothing from any other host. Every
 * page path answers the one {@code index.html}; the modules draw the page from the path and talk
 * to the REST API with the token the login page keeps in the tab's {@code sessionStorage}.
 *
 * <p>Each answer carries a Content-Security-Policy that lets the page load and connect to this
 * server only, and an ETag so that a reload costs a 304 per file.
 */
public final class ConsoleRoutes {
  /** The page paths, all answered by {@code index.html}. */
  static final List<String> PAGES = List.of("/", "/login", "/configs", "/configs/{name}", "/configs/{name}/edit",
      "/new", "/builds", "/builds/{build}", "/detect");
  private static final String ROOT = "io/s2i/service/console/assets/";
  private static final Pattern ASSET = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(js|css|svg|html)");
  private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "html", "text/html; charset=utf-8");
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; font-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  private record Asset(byte[] bytes, String type, String etag) {}

  /** Adds the console's routes. */
  public void register(Javalin app) {
    for (String page : PAGES) {
      app.get(page, ctx -> send(ctx, "index.html"));
    }
    app.get("/assets/{file}", ctx -> send(ctx, ctx.pathParam("file")));
  }

  private void send(Context ctx, String name) {
    Optional<Asset> asset = ASSET.matcher(name).matches() ? cache.computeIfAbsent(name, ConsoleRoutes::load)
        : Optional.empty();
    if (asset.isEmpty()) {
      ctx.status(404).contentType("application/json").result("{\"error\": \"no such file in the console: "
          + name.replaceAll("[^A-Za-z0-9._-]", "?") + "\"}");
      return;
    }
    Asset a = asset.get();
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    // Revalidated on every load (a 304 on loopback costs about a millisecond), so a new jar shows at once.
    ctx.header("Cache-Control", "no-cache");
    ctx.header("ETag", a.etag());
    if (a.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(a.type()).result(a.bytes());
  }

  private static Optional<Asset> load(String name) {
    try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 20);
      return Optional.of(new Asset(bytes, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), "\"" + hash + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
