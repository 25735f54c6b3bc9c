package io.s2i.service.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.s2i.service.BuildService;
import io.s2i.service.logs.LogHub;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.ServiceJson;
import io.s2i.service.store.LogLine;
import io.s2i.service.store.StoredBuild;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Build logs, from the first line (or after {@code since}), optionally following until the build
 * ends: as plain text (one line each, with {@code timestamps=true} an RFC 3339 time first), or as
 * server-sent events (ask with {@code Accept: text/event-stream}; each event's id is the line number,
 * so a console reconnects with {@code Last-Event-ID}).
 */
final class LogRoutes {
  private final BuildService service;

  LogRoutes(BuildService service) {
    this.service = service;
  }

  void register(Javalin app) {
    app.get("/api/v1/builds/{build}/log", ctx -> stream(ctx, service.storedBuild(ctx.pathParam("build"))));
    app.get("/api/v1/buildconfigs/{name}/log", ctx -> {
      String latest = service.latestBuild(ConfigRoutes.name(ctx)).name();
      stream(ctx, service.storedBuild(latest));
    });
  }

  private void stream(Context ctx, StoredBuild build) throws IOException, InterruptedException {
    boolean follow = flag(ctx, "follow");
    boolean timestamps = flag(ctx, "timestamps");
    boolean sse = String.valueOf(ctx.header("Accept")).contains("text/event-stream");
    long since = since(ctx);
    ctx.status(200);
    ctx.res().setContentType(sse ? "text/event-stream; charset=utf-8" : "text/plain; charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-cache");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    ctx.res().setHeader("X-S2i-Build", build.build().name());
    OutputStream out = ctx.res().getOutputStream();
    LogHub.LineSink sink = new LogHub.LineSink() {
      @Override
      public void line(LogLine l) throws IOException {
        String text = timestamps ? l.time() + " " + l.text() : l.text();
        if (sse) {
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("seq", l.seq());
          data.put("time", l.time().toString());
          data.put("line", l.text());
          out.write(("id: " + l.seq() + "\nevent: line\ndata: " + ServiceJson.write(data) + "\n\n")
              .getBytes(StandardCharsets.UTF_8));
        } else {
          out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        }
        // A followed log goes out line by line; a stored one in the server's buffer-sized chunks.
        if (follow) {
          out.flush();
        }
      }

      @Override
      public void idle() throws IOException {
        if (sse) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    };
    try {
      service.logs().stream(build.id(), since, follow, service::ended, sink);
      if (sse) {
        String phase = service.store().build(build.id()).map(b -> b.build().phase().name()).orElse("Deleted");
        out.write(("event: end\ndata: {\"phase\":\"" + phase + "\"}\n\n").getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
    } catch (IOException e) {
      // the client went away
    }
  }

  private static long since(Context ctx) {
    String v = ctx.queryParam("since");
    if (v == null) {
      v = ctx.header("Last-Event-ID");
    }
    if (v == null || v.isEmpty()) {
      return 0;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("since=" + v + " is not a line number");
    }
  }

  private static boolean flag(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.equals("true") || v.isEmpty()) {
      return true;
    }
    throw new InvalidInputException(name + "=" + v + " is not true or false");
  }
}
