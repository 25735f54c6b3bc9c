package io.s2i.service.triggers.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * GitLab's webhooks. The request must carry {@code X-Gitlab-Token} equal to the trigger's secret
 * (GitLab's "Secret token"), compared in constant time; a secret in the URL must match too. Only
 * {@code Push Hook} builds: the pushed commit ({@code checkout_sha}, else {@code after}) when the
 * ref matches; {@code Tag Push Hook} and every other event are skipped with the reason. The
 * delivery id is {@code Idempotency-Key} (the same on GitLab's retries), else
 * {@code X-Gitlab-Event-UUID}.
 */
public final class GitLabWebhook implements WebhookProvider {
  static final String TOKEN = "X-Gitlab-Token";
  static final String EVENT = "X-Gitlab-Event";

  @Override
  public String urlType() {
    return "gitlab";
  }

  @Override
  public WebhookResult handle(WebhookRequest request, WebhookTrigger trigger) {
    Optional<WebhookResult.Unauthorized> refused = SecretProof.first(
        () -> SecretProof.requireConfigured(trigger, Provider.GITLAB),
        () -> SecretProof.urlSecret(request, trigger, false),
        () -> SecretProof.token(request, trigger, TOKEN,
            "set the hook's Secret token in GitLab to the trigger's secret"));
    if (refused.isPresent()) {
      return refused.get();
    }
    Optional<String> event = request.headers().first(EVENT);
    Optional<String> delivery = PushSupport.deliveryId(request.headers(), "Idempotency-Key", "X-Gitlab-Event-UUID");
    if (event.isEmpty()) {
      return new WebhookResult.BadRequest(EVENT + " is missing");
    }
    boolean tagPush = event.get().equals("Tag Push Hook");
    if (!event.get().equals("Push Hook") && !tagPush) {
      return new WebhookResult.Skip("GitLab event \"" + Json.oneLine(event.get())
          + "\" does not build; only Push Hook does");
    }
    JsonNode push;
    String ref;
    try {
      push = PushSupport.readJson(request, "GitLab sends JSON; check the sender");
      ref = PushSupport.configuredRef(Json.text(push, "ref"), trigger.refMatcher());
    } catch (PushSupport.Refused refusal) {
      return refusal.result();
    }
    String after = Json.text(push, "after").orElse("");
    if (CommitId.isZero(after)) {
      return PushSupport.deleted(ref);
    }
    Optional<String> commit = Json.text(push, "checkout_sha").or(() -> Optional.of(after)).flatMap(CommitId::full);
    if (commit.isEmpty()) {
      return new WebhookResult.BadRequest("the push's \"checkout_sha\" and \"after\" are not commit ids");
    }
    JsonNode head = findCommit(push.path("commits"), commit.get());
    Revision revision = new Revision(
        Json.text(push, "project", "git_http_url").or(() -> Json.text(push, "repository", "git_http_url")),
        ref,
        commit.get(),
        Json.text(push, "before").filter(b -> !CommitId.isZero(b)).flatMap(CommitId::full),
        PushSupport.user(head.path("author")),
        Optional.empty(),
        Json.text(head, "message"));
    return new WebhookResult.Build(Optional.of(revision), Provider.GITLAB, delivery, List.of(), Optional.empty());
  }

  /** The entry of {@code commits} with this id (GitLab lists the last 20); a missing node when absent. */
  private static JsonNode findCommit(JsonNode commits, String id) {
    for (JsonNode c : commits) {
      if (Json.text(c, "id").flatMap(CommitId::full).map(id::equals).orElse(false)) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
