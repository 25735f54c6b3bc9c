package io.s2i.service.http;

import io.javalin.Javalin;
import io.s2i.service.BuildService;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.triggers.service.DeliveryHistory;
import io.s2i.service.triggers.service.WebhookService;

/**
 * {@code GET /api/v1/buildconfigs/NAME/webhooks/deliveries[?limit=N]}, with the API token: the
 * configuration's verified webhook deliveries, newest first (at most
 * {@value DeliveryHistory#KEPT_PER_CONFIGURATION}), each with what it did: the build it queued and
 * the commit, or why it built nothing. Requests that did not prove the secret are not kept.
 */
final class WebhookDeliveryRoutes {
  private final BuildService service;
  private final WebhookService webhooks;

  WebhookDeliveryRoutes(BuildService service, WebhookService webhooks) {
    this.service = service;
    this.webhooks = webhooks;
  }

  void register(Javalin app) {
    app.get("/api/v1/buildconfigs/{name}/webhooks/deliveries", ctx -> {
      String name = ConfigRoutes.name(ctx);
      if (service.store().config(name).isEmpty()) {
        throw new InvalidInputException(404, "build configuration \"" + name + "\" not found");
      }
      int limit = Math.min(BuildPaging.limit(ctx.queryParam("limit")), DeliveryHistory.KEPT_PER_CONFIGURATION);
      Answers.json(ctx, 200, webhooks.deliveries(name, limit));
    });
  }
}
