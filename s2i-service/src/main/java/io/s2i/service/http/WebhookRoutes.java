package io.s2i.service.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.triggers.service.WebhookService;
import io.s2i.service.triggers.webhook.Headers;
import io.s2i.service.triggers.webhook.WebhookBodyLimit;
import io.s2i.service.triggers.webhook.WebhookRoute;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook endpoints, which need no bearer token (they verify their own secret):
 * {@code POST /api/v1/webhooks/CONFIG/TYPE[/SECRET]} and OpenShift's
 * {@code POST /apis/build.openshift.io/v1/namespaces/NS/buildconfigs/CONFIG/webhooks/SECRET/TYPE}.
 * The body is read up to the limit (413 past it, without reading on); the path, which may hold
 * the generic hook's secret, is never logged or echoed.
 */
final class WebhookRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
  private final WebhookService webhooks;

  WebhookRoutes(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  void register(Javalin app) {
    app.post(WebhookRoute.S2I_PREFIX + "*", this::receive);
    app.post(WebhookRoute.OPENSHIFT_PREFIX + "*", this::receive);
  }

  private void receive(Context ctx) {
    Optional<WebhookRoute> route = WebhookRoute.parse(ctx.path());
    if (route.isEmpty()) {
      Answers.error(ctx, 404, "not a webhook URL: use " + WebhookRoute.S2I_PREFIX + "CONFIG/TYPE[/SECRET]"
          + " (s2i describe CONFIG shows them)");
      return;
    }
    WebhookBodyLimit limit = webhooks.limit();
    if (limit.exceeds(ctx.req().getContentLengthLong())) {
      Answers.error(ctx, 413, limit.reason());
      return;
    }
    try {
      byte[] body;
      try (InputStream in = ctx.req().getInputStream()) {
        body = limit.read(in);
      }
      WebhookService.Answer answer = webhooks.receive(route.get(), headers(ctx), body);
      Answers.json(ctx, answer.status(), answer.body());
    } catch (WebhookBodyLimit.TooLargeException e) {
      Answers.error(ctx, 413, e.getMessage());
    } catch (InvalidInputException e) {
      Answers.error(ctx, e.status(), e.getMessage());
    } catch (Exception e) {
      LOG.warn("webhook {} for {} failed", route.get().type(), route.get().configuration(), e);
      Answers.error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
    }
  }

  private static Headers headers(Context ctx) {
    Map<String, List<String>> all = new LinkedHashMap<>();
    for (String name : Collections.list(ctx.req().getHeaderNames())) {
      all.put(name, new ArrayList<>(Collections.list(ctx.req().getHeaders(name))));
    }
    return Headers.of(all);
  }
}
