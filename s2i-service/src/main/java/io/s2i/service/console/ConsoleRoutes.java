package io.s2i.service.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The web console: plain HTML, CSS and JavaScript modules from the jar (classpath
 * {@code io/s2i/service/console/assets/}), no build step and nothing from any other host. Every
 * page path answers the one {@code index.html}; the modules draw the page from the path and talk
 * to the REST API with the token the login page keeps in the tab's {@code sessionStorage}.
 *
 * <p>The files are read once, at start. Their URLs carry a version made from their content
 * ({@code /assets/VERSION/app.js}), so the browser keeps them for good and a reload asks for the
 * page and its API answers only; the modules' relative imports inherit the version. The page itself
 * is revalidated by ETag. Each answer carries a Content-Security-Policy that lets the page load
 * from and connect to this server only.
 */
public final class ConsoleRoutes {
  /** The page paths, all answered by {@code index.html}. */
  static final List<String> PAGES = List.of("/", "/login", "/configs", "/configs/{name}", "/configs/{name}/edit",
      "/new", "/builds", "/builds/{build}", "/detect");
  /** Every file of the console (ConsoleApiTest checks that the directory holds these and no others). */
  static final List<String> FILES = List.of("index.html", "style.css", "app.js", "api.js", "ui.js",
      "builds-table.js", "start-build.js", "tar.js", "timeline.js", "yaml.js", "page-login.js", "page-configs.js",
      "page-config.js", "page-edit.js", "page-builds.js", "page-build.js", "page-detect.js");
  private static final String ROOT = "io/s2i/service/console/assets/";
  private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8");
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; font-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private final Map<String, Asset> assets = new LinkedHashMap<>();
  private final String version;
  private final Asset index;

  private record Asset(byte[] bytes, String type, String etag) {}

  /** Reads the console's files. */
  public ConsoleRoutes() {
    MessageDigest all = sha256();
    for (String name : FILES) {
      byte[] bytes = read(name);
      all.update(name.getBytes(StandardCharsets.UTF_8));
      all.update(bytes);
      assets.put(name, asset(name, bytes));
    }
    version = HexFormat.of().formatHex(all.digest()).substring(0, 12);
    String preloads = FILES.stream().filter(f -> f.endsWith(".js") && !f.equals("app.js"))
        .map(f -> "<link rel=\"modulepreload\" href=\"/assets/" + version + "/" + f + "\">\n")
        .collect(Collectors.joining());
    String html = new String(assets.get("index.html").bytes(), StandardCharsets.UTF_8)
        .replace("{{version}}", version).replace("{{preloads}}", preloads);
    index = asset("index.html", html.getBytes(StandardCharsets.UTF_8));
  }

  /** The version in the assets' URLs. */
  public String version() {
    return version;
  }

  /** Adds the console's routes. */
  public void register(Javalin app) {
    for (String page : PAGES) {
      app.get(page, ctx -> send(ctx, index, false));
    }
    app.get("/assets/{version}/{file}", ctx -> {
      Asset a = ctx.pathParam("file").equals("index.html") ? null : assets.get(ctx.pathParam("file"));
      if (a == null) {
        ctx.status(404).contentType("application/json").result("{\"error\": \"no such file in the console\"}");
        return;
      }
      // An old version's URL (a page loaded before an upgrade) gets today's file, not kept.
      send(ctx, a, ctx.pathParam("version").equals(version));
    });
  }

  private static void send(Context ctx, Asset a, boolean immutable) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    ctx.header("ETag", a.etag());
    if (a.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(a.type()).result(a.bytes());
  }

  private static Asset asset(String name, byte[] bytes) {
    String hash = HexFormat.of().formatHex(sha256().digest(bytes)).substring(0, 20);
    return new Asset(bytes, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), "\"" + hash + "\"");
  }

  private static byte[] read(String name) {
    try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("the console's " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
