package io.s2i.service.http;

import io.javalin.Javalin;
import io.s2i.service.BuildService;
import io.s2i.service.triggers.service.Triggers;

/**
 * The triggers' routes: webhooks (no token; they verify their own secret), image-change checks and
 * the webhook deliveries kept.
 */
public final class TriggerRoutes {
  private final Triggers triggers;
  private final BuildService service;

  /** Routes for these triggers of {@code service}. */
  public TriggerRoutes(Triggers triggers, BuildService service) {
    this.triggers = triggers;
    this.service = service;
  }

  /** Adds the routes to {@code app}. */
  public void register(Javalin app) {
    new WebhookRoutes(triggers.webhooks()).register(app);
    new ImageChangeRoutes(triggers.images()).register(app);
    new WebhookDeliveryRoutes(service, triggers.webhooks()).register(app);
  }
}
