package io.s2i.service.triggers.webhook;

import java.util.Optional;

/**
 * Bitbucket's webhooks, Cloud and Server/Data Center, at one URL as in OpenShift: the
 * {@code X-Event-Key} says which sent it ({@code repo:push}: Cloud; {@code repo:refs_changed} and
 * the {@code diagnostics:ping} of "Test connection": Server).
 *
 * <p>Both sign the body with HMAC-SHA256 in {@code X-Hub-Signature} ({@code sha256=HEX}) once the
 * hook has a secret; hooks made before Bitbucket offered secrets have none, so a request without
 * that header must carry the secret in its URL instead. A request with neither is refused, and
 * every proof a request carries must hold.
 */
public final class BitbucketWebhook implements WebhookProvider {
  static final String SIGNATURE = "X-Hub-Signature";
  static final String EVENT = "X-Event-Key";
  private final BitbucketCloudWebhook cloud = new BitbucketCloudWebhook();
  private final BitbucketServerWebhook server = new BitbucketServerWebhook();

  @Override
  public String urlType() {
    return "bitbucket";
  }

  @Override
  public WebhookResult handle(WebhookRequest request, WebhookTrigger trigger) {
    Optional<String> event = request.headers().first(EVENT);
    boolean fromServer = event.map(e -> e.equals("repo:refs_changed") || e.startsWith("diagnostics:")).orElse(false);
    Provider provider = fromServer ? Provider.BITBUCKET_SERVER : Provider.BITBUCKET_CLOUD;
    Optional<WebhookResult.Unauthorized> refused = authenticate(request, trigger, provider);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (event.isEmpty()) {
      return new WebhookResult.BadRequest(EVENT + " is missing");
    }
    return switch (event.get()) {
      case "repo:push" -> cloud.read(request, trigger);
      case "repo:refs_changed", "diagnostics:ping" -> server.read(request, trigger, event.get());
      default -> new WebhookResult.Skip("Bitbucket event \"" + Json.oneLine(event.get())
          + "\" does not build; only repo:push (Cloud) and repo:refs_changed (Server) do");
    };
  }

  static Optional<WebhookResult.Unauthorized> authenticate(WebhookRequest request, WebhookTrigger trigger,
      Provider provider) {
    boolean signed = request.headers().has(SIGNATURE);
    if (!signed && request.urlSecret().isEmpty()) {
      return SecretProof.first(
          () -> SecretProof.requireConfigured(trigger, provider),
          () -> Optional.of(new WebhookResult.Unauthorized(SIGNATURE + " is missing and the URL has no"
              + " secret: set the hook's Secret in Bitbucket to the trigger's secret")));
    }
    return SecretProof.first(
        () -> SecretProof.requireConfigured(trigger, provider),
        () -> SecretProof.urlSecret(request, trigger, !signed),
        () -> signed ? SecretProof.hmacSha256(request, trigger, SIGNATURE,
            "set the hook's Secret in Bitbucket to the trigger's secret") : Optional.empty());
  }
}
