package io.s2i.service.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.s2i.service.BuildService;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildConfig.TriggerType;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.triggers.webhook.WebhookUrls;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A configuration's webhook URLs, as {@link WebhookUrls} makes them, under the address the client
 * reached this server at:
 * <ul>
 *   <li>{@code GET /api/v1/buildconfigs/NAME/webhooks}: one entry per webhook trigger
 *       ({@code index} in {@code triggers}, {@code type}, {@code url}, {@code secretInUrl}); the
 *       generic hook's secret shows as {@code <secret>}, as {@code s2i describe} shows it.
 *   <li>{@code POST /api/v1/buildconfigs/NAME/webhooks/secrets}: the same entries with each
 *       trigger's {@code secret} and the generic URL complete. The one answer that holds secrets,
 *       given only when asked for by a POST with the token (the console's "show secret" button)
 *       and never cached ({@code Cache-Control: no-store}).
 * </ul>
 */
final class WebhookUrlRoutes {
  private final BuildService service;

  WebhookUrlRoutes(BuildService service) {
    this.service = service;
  }

  void register(Javalin app) {
    app.get("/api/v1/buildconfigs/{name}/webhooks", ctx -> Answers.json(ctx, 200, entries(ctx, false)));
    app.post("/api/v1/buildconfigs/{name}/webhooks/secrets", ctx -> {
      ctx.header("Cache-Control", "no-store");
      Answers.json(ctx, 200, entries(ctx, true));
    });
  }

  private List<Map<String, Object>> entries(Context ctx, boolean withSecrets) {
    String name = ConfigRoutes.name(ctx);
    BuildConfig config = service.store().config(name)
        .orElseThrow(() -> new InvalidInputException(404, "build configuration \"" + name + "\" not found"));
    WebhookUrls urls = new WebhookUrls(URI.create(ctx.scheme() + "://" + ctx.host()));
    List<Map<String, Object>> out = new ArrayList<>();
    List<BuildConfig.Trigger> triggers = config.triggers() == null ? List.of() : config.triggers();
    for (int i = 0; i < triggers.size(); i++) {
      BuildConfig.Trigger t = triggers.get(i);
      if (t.type() == TriggerType.ImageChange || t.type() == TriggerType.ConfigChange) {
        continue;
      }
      String urlType = t.type().name().toLowerCase(Locale.ROOT);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("index", i);
      e.put("type", t.type());
      e.put("secretInUrl", WebhookUrls.secretInUrl(urlType));
      e.put("url", withSecrets ? urls.url(name, urlType, Optional.ofNullable(t.secret())).toString()
          : urls.describe(name, urlType));
      if (withSecrets) {
        e.put("secret", t.secret());
      }
      out.add(e);
    }
    return out;
  }
}
