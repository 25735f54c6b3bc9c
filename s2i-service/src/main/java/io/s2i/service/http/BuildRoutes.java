package io.s2i.service.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.s2i.service.BuildService;
import io.s2i.service.model.Build;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.ConfigRules;
import io.s2i.service.model.EnvEntry;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.StartBuildRequest;
import io.s2i.service.model.TriggerCause;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Starting, listing, reading, cancelling and deleting builds. */
final class BuildRoutes {
  private final BuildService service;

  BuildRoutes(BuildService service) {
    this.service = service;
  }

  void register(Javalin app) {
    app.post("/api/v1/buildconfigs/{name}/instantiate", this::instantiate);
    app.post("/api/v1/buildconfigs/{name}/instantiatebinary", this::instantiateBinary);
    app.get("/api/v1/buildconfigs/{name}/builds", ctx ->
        BuildPaging.answer(ctx, service, Optional.of(ConfigRoutes.name(ctx))));
    app.get("/api/v1/builds", ctx -> {
      Optional<String> config = Optional.ofNullable(ctx.queryParam("config")).filter(s -> !s.isEmpty());
      config.ifPresent(c -> ConfigRules.checkName("the build configuration", c));
      BuildPaging.answer(ctx, service, config);
    });
    app.get("/api/v1/builds/{build}", ctx -> Answers.json(ctx, 200, service.build(ctx.pathParam("build"))));
    app.post("/api/v1/builds/{build}/cancel", ctx -> Answers.json(ctx, 200, service.cancel(ctx.pathParam("build"))));
    app.delete("/api/v1/builds/{build}", ctx -> {
      service.deleteBuild(ctx.pathParam("build"));
      ctx.status(204);
    });
  }

  private void instantiate(Context ctx) throws Exception {
    String name = ConfigRoutes.name(ctx);
    StartBuildRequest req = ctx.req().getContentLengthLong() == 0
        ? new StartBuildRequest(null, null, null, null) : Bodies.parse(ctx, StartBuildRequest.class);
    BuildOptions options = new BuildOptions(req.env() == null ? List.of() : req.env(), req.commit(),
        req.incremental(), req.noCache(), null);
    Build b = service.start(name, options, TriggerCause.manual(), null);
    Answers.json(ctx, 201, b);
  }

  /**
   * The body is the input itself, streamed to disk: {@code ?as=file&name=app.jar},
   * {@code ?as=archive}, {@code ?as=dir} or {@code ?as=repo} (tar, tar.gz or zip), with
   * {@code commit}, {@code env=NAME=VALUE} (repeatable), {@code incremental} and {@code noCache}.
   */
  private void instantiateBinary(Context ctx) throws Exception {
    String name = ConfigRoutes.name(ctx);
    service.config(name); // 404 before reading a large body
    String kind = Optional.ofNullable(ctx.queryParam("as")).orElse("archive");
    if (!List.of("file", "archive", "dir", "repo").contains(kind)) {
      throw new InvalidInputException("as=" + kind + " is not one of file, archive, dir, repo");
    }
    String fileName = ctx.queryParam("name");
    if (kind.equals("file")) {
      if (fileName == null) {
        throw new InvalidInputException("as=file needs name=FILE (the uploaded file's name)");
      }
      ConfigRules.checkUploadName(fileName);
    }
    List<EnvEntry> env = new ArrayList<>();
    for (String e : ctx.queryParams("env")) {
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw new InvalidInputException("env \"" + e + "\" is not NAME=VALUE");
      }
      env.add(new EnvEntry(e.substring(0, eq), e.substring(eq + 1), false));
    }
    BuildOptions options = new BuildOptions(env, ctx.queryParam("commit"), bool(ctx, "incremental"),
        bool(ctx, "noCache"), null);
    Path upload = service.receiveUpload(ctx.req().getInputStream());
    long size = java.nio.file.Files.size(upload);
    if (size == 0) {
      service.discardUpload(upload);
      throw new InvalidInputException("the upload is empty");
    }
    try {
      Build b = service.start(name, options.withBinary(new BuildOptions.BinaryInput(kind, fileName, size)),
          TriggerCause.manual(), upload);
      Answers.json(ctx, 201, b);
    } catch (RuntimeException e) {
      service.discardUpload(upload);
      throw e;
    }
  }

  private static Boolean bool(Context ctx, String param) {
    String v = ctx.queryParam(param);
    if (v == null) {
      return null;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw new InvalidInputException(param + "=" + v + " is not true or false");
    }
    return Boolean.valueOf(v);
  }
}
