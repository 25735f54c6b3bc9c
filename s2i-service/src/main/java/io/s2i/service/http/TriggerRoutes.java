package io.s2i.service.http;

import io.javalin.Javalin;
import io.s2i.service.triggers.service.Triggers;

/** The triggers' routes: webhooks (no token; they verify their own secret) and image-change checks. */
public final class TriggerRoutes {
  private final Triggers triggers;

  /** Routes for these triggers. */
  public TriggerRoutes(Triggers triggers) {
    this.triggers = triggers;
  }

  /** Adds the routes to {@code app}. */
  public void register(Javalin app) {
    new WebhookRoutes(triggers.webhooks()).register(app);
    new ImageChangeRoutes(triggers.images()).register(app);
  }
}
