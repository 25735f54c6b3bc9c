package io.s2i.service.triggers.webhook;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one call the HTTP layer makes for a webhook: body limit, the provider of the URL's type
 * (verification first), then replay protection. A sketch of the route:
 *
 * <pre>{@code
 * WebhookRoute route = WebhookRoute.parse(path).orElse(404);
 * // find the configuration and its trigger of route.type() (none: 401, as OpenShift answers)
 * byte[] body = limit.read(in);                         // TooLargeException: 413
 * WebhookResult r = receiver.receive(route.configuration(), route.type(),
 *     new WebhookRequest(Headers.of(headers), body, route.secret()), trigger);
 * if (r instanceof WebhookResult.Build b) { queue.start(config, b); }  // record b as the cause
 * answer(r.httpStatus(), r.message());
 * }</pre>
 */
public final class WebhookReceiver {
  private final Map<String, WebhookProvider> providers;
  private final DeliveryLog deliveries;
  private final WebhookBodyLimit limit;

  /** A receiver with every provider, {@code deliveries} and the default body limit. */
  public WebhookReceiver(DeliveryLog deliveries) {
    this(deliveries, WebhookBodyLimit.defaults());
  }

  /** A receiver with every provider, {@code deliveries} and {@code limit}. */
  public WebhookReceiver(DeliveryLog deliveries, WebhookBodyLimit limit) {
    this(List.of(new GitHubWebhook(), new GitLabWebhook(), new BitbucketWebhook(), new GenericWebhook()),
        deliveries, limit);
  }

  /** A receiver with the given providers (one per URL type). */
  public WebhookReceiver(List<WebhookProvider> providers, DeliveryLog deliveries, WebhookBodyLimit limit) {
    this.providers = providers.stream().collect(Collectors.toUnmodifiableMap(WebhookProvider::urlType, Function.identity()));
    this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    this.limit = Objects.requireNonNull(limit, "limit");
  }

  /** The provider of a URL type; empty for a type no provider answers (answer 404). */
  public Optional<WebhookProvider> provider(String urlType) {
    return Optional.ofNullable(providers.get(urlType));
  }

  /** The URL types answered: {@code bitbucket}, {@code generic}, {@code github}, {@code gitlab}. */
  public java.util.Set<String> urlTypes() {
    return new java.util.TreeSet<>(providers.keySet());
  }

  /** The body limit the HTTP layer reads with. */
  public WebhookBodyLimit limit() {
    return limit;
  }

  /**
   * Handles one request to {@code configuration}'s webhook of {@code urlType}.
   *
   * <p>A delivery id is recorded only once the request is verified and would build, so a caller
   * without the secret cannot use up ids; a delivery seen before gives {@link WebhookResult.Skip}.
   */
  public WebhookResult receive(String configuration, String urlType, WebhookRequest request, WebhookTrigger trigger) {
    WebhookProvider provider = providers.get(urlType);
    if (provider == null) {
      return new WebhookResult.BadRequest("unknown webhook type \"" + Json.oneLine(urlType) + "\": use one of "
          + String.join(", ", urlTypes()));
    }
    if (limit.exceeds(request.body().length)) {
      return new WebhookResult.TooLarge(limit.reason());
    }
    WebhookResult result = provider.handle(request, trigger);
    if (result instanceof WebhookResult.Build build && build.deliveryId().isPresent()
        && deliveries.seen(configuration, build.provider().id(), build.deliveryId().get())) {
      return new WebhookResult.Skip("delivery " + build.deliveryId().get()
          + " was received before; a replayed delivery does not build twice");
    }
    return result;
  }
}
