package io.s2i.service.http;

import io.javalin.Javalin;
import io.s2i.service.BuildService;
import io.s2i.service.model.Build;
import io.s2i.service.model.BuildConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/overview}: every configuration with its newest build, and how many builds are
 * in each phase, in one answer of two queries (the console's first page; no request per
 * configuration).
 */
final class OverviewRoutes {
  private final BuildService service;

  OverviewRoutes(BuildService service) {
    this.service = service;
  }

  void register(Javalin app) {
    app.get("/api/v1/overview", ctx -> Answers.json(ctx, 200, overview()));
  }

  private Map<String, Object> overview() {
    Map<String, Build> latest = service.latestBuilds();
    List<Map<String, Object>> configs = new ArrayList<>();
    for (BuildConfig c : service.configs()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("config", c);
      row.put("lastBuild", latest.get(c.name()));
      configs.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("configs", configs);
    out.put("phases", service.store().phaseCounts());
    return out;
  }
}
