package io.s2i.service.triggers.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * GitHub's webhooks. The request must carry {@code X-Hub-Signature-256}, the HMAC-SHA256 of the
 * body keyed with the trigger's secret (GitHub sends it once the hook has a secret); a secret in the
 * URL (OpenShift's URL form) must match too but is not enough. {@code ping} is answered; only
 * {@code push} builds: the pushed commit ({@code after}), when the ref matches.
 */
public final class GitHubWebhook implements WebhookProvider {
  static final String SIGNATURE = "X-Hub-Signature-256";
  static final String EVENT = "X-GitHub-Event";
  static final String DELIVERY = "X-GitHub-Delivery";

  @Override
  public String urlType() {
    return "github";
  }

  @Override
  public WebhookResult handle(WebhookRequest request, WebhookTrigger trigger) {
    Optional<WebhookResult.Unauthorized> refused = SecretProof.first(
        () -> SecretProof.requireConfigured(trigger, Provider.GITHUB),
        () -> SecretProof.urlSecret(request, trigger, false),
        () -> SecretProof.hmacSha256(request, trigger, SIGNATURE,
            "set the hook's Secret in GitHub to the trigger's secret"));
    if (refused.isPresent()) {
      return refused.get();
    }
    Optional<String> event = request.headers().first(EVENT);
    Optional<String> delivery = PushSupport.deliveryId(request.headers(), DELIVERY);
    if (event.isEmpty()) {
      return new WebhookResult.BadRequest(EVENT + " is missing");
    }
    switch (event.get()) {
      case "ping":
        return new WebhookResult.Ping(Provider.GITHUB, delivery);
      case "push":
        break;
      default:
        return new WebhookResult.Skip("GitHub event \"" + Json.oneLine(event.get())
            + "\" does not build; only push does");
    }
    JsonNode push;
    String ref;
    try {
      push = PushSupport.readJson(request, "set the hook's Content type to application/json in GitHub");
      ref = PushSupport.configuredRef(Json.text(push, "ref"), trigger.refMatcher());
    } catch (PushSupport.Refused refusal) {
      return refusal.result();
    }
    String after = Json.text(push, "after").orElse("");
    if (push.path("deleted").asBoolean(false) || CommitId.isZero(after)) {
      return PushSupport.deleted(ref);
    }
    Optional<String> commit = CommitId.full(after);
    if (commit.isEmpty()) {
      return new WebhookResult.BadRequest("the push's \"after\" is not a commit id");
    }
    JsonNode head = push.path("head_commit");
    boolean headIsAfter = Json.text(head, "id").flatMap(CommitId::full).equals(commit);
    Revision revision = new Revision(
        Json.text(push, "repository", "clone_url"),
        ref,
        commit.get(),
        Json.text(push, "before").filter(b -> !CommitId.isZero(b)).flatMap(CommitId::full),
        headIsAfter ? PushSupport.user(head.path("author")) : Optional.empty(),
        headIsAfter ? PushSupport.user(head.path("committer")) : Optional.empty(),
        headIsAfter ? Json.text(head, "message") : Optional.empty());
    return new WebhookResult.Build(Optional.of(revision), Provider.GITHUB, delivery, List.of(), Optional.empty());
  }
}
