package io.s2i.service.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.s2i.service.BuildService;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.ConfigRules;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.openshift.ConfigDocuments;
import io.s2i.service.store.BuildStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Build configurations: CRUD and {@code apply} (native or OpenShift YAML/JSON, one or many documents). */
final class ConfigRoutes {
  private final BuildService service;

  ConfigRoutes(BuildService service) {
    this.service = service;
  }

  void register(Javalin app) {
    app.get("/api/v1/buildconfigs", ctx -> Answers.json(ctx, 200, service.configs()));
    app.post("/api/v1/buildconfigs", ctx -> Answers.json(ctx, 201, service.create(single(ctx))));
    app.get("/api/v1/buildconfigs/{name}", ctx -> Answers.json(ctx, 200, service.config(name(ctx))));
    app.put("/api/v1/buildconfigs/{name}", this::put);
    app.delete("/api/v1/buildconfigs/{name}", ctx -> {
      service.delete(name(ctx));
      ctx.status(204);
    });
    app.post("/api/v1/apply", this::apply);
  }

  private void put(Context ctx) throws Exception {
    BuildConfig config = single(ctx);
    if (config.name() != null && !config.name().equals(name(ctx))) {
      throw new InvalidInputException("the body's name \"" + config.name() + "\" differs from the URL's \""
          + name(ctx) + "\"");
    }
    BuildConfig named = new BuildConfig(name(ctx), config.source(), config.strategy(), config.output(),
        config.triggers(), config.runPolicy(), config.successfulBuildsHistoryLimit(),
        config.failedBuildsHistoryLimit(), null);
    BuildStore.PutResult result = service.put(named);
    Answers.json(ctx, result == BuildStore.PutResult.created ? 201 : 200, service.config(named.name()));
  }

  private void apply(Context ctx) throws Exception {
    List<BuildConfig> configs = ConfigDocuments.parse(Bodies.text(ctx));
    // Every document is checked before any is stored, so a bad one leaves nothing half-applied.
    for (BuildConfig c : configs) {
      ConfigRules.validate(c);
    }
    List<Map<String, String>> results = new ArrayList<>();
    for (BuildConfig c : configs) {
      Map<String, String> r = new LinkedHashMap<>();
      r.put("name", c.name());
      r.put("result", service.put(c).name());
      results.add(r);
    }
    Answers.json(ctx, 200, results);
  }

  private static BuildConfig single(Context ctx) throws Exception {
    List<BuildConfig> configs = ConfigDocuments.parse(Bodies.text(ctx));
    if (configs.size() != 1) {
      throw new InvalidInputException("send one build configuration here (use /api/v1/apply for several)");
    }
    return configs.get(0);
  }

  static String name(Context ctx) {
    String name = ctx.pathParam("name");
    ConfigRules.checkName("the build configuration", name);
    return name;
  }
}
