package io.s2i.service.triggers.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bitbucket Server and Data Center's {@code repo:refs_changed}: {@code changes[]} of
 * {@code {ref.id, fromHash, toHash, type: ADD|UPDATE|DELETE}}; the change to the configured ref
 * decides and its {@code toHash} is built. The payload names no commit author or message; the
 * build records those from the clone. {@code diagnostics:ping} ("Test connection") is a ping.
 */
final class BitbucketServerWebhook {

  WebhookResult read(WebhookRequest request, WebhookTrigger trigger, String event) {
    Optional<String> delivery = PushSupport.deliveryId(request.headers(), "X-Request-Id");
    if (event.equals("diagnostics:ping")) {
      return new WebhookResult.Ping(Provider.BITBUCKET_SERVER, delivery);
    }
    JsonNode push;
    try {
      push = PushSupport.readJson(request, "Bitbucket sends JSON; check the sender");
    } catch (PushSupport.Refused unreadable) {
      return unreadable.result();
    }
    JsonNode changes = push.path("changes");
    if (!changes.isArray() || changes.isEmpty()) {
      return new WebhookResult.BadRequest("the repo:refs_changed payload has no changes");
    }
    RefMatcher matcher = trigger.refMatcher();
    List<String> seen = new ArrayList<>();
    for (JsonNode change : changes) {
      Optional<String> ref = Json.text(change, "ref", "id").or(() -> Json.text(change, "refId"));
      Optional<WebhookResult> badRef = PushSupport.checkRef(ref);
      if (badRef.isPresent()) {
        return badRef.get();
      }
      if (!matcher.matches(ref.get())) {
        seen.add(ref.get());
        continue;
      }
      String to = Json.text(change, "toHash").orElse("");
      if ("DELETE".equals(Json.text(change, "type").orElse("")) || CommitId.isZero(to)) {
        return PushSupport.deleted(ref.get());
      }
      Optional<String> commit = CommitId.full(to);
      if (commit.isEmpty()) {
        return new WebhookResult.BadRequest("the change's toHash is not a commit id");
      }
      Revision revision = new Revision(
          cloneUrl(push.path("repository")),
          ref.get(),
          commit.get(),
          Json.text(change, "fromHash").filter(h -> !CommitId.isZero(h)).flatMap(CommitId::full),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
      return new WebhookResult.Build(Optional.of(revision), Provider.BITBUCKET_SERVER, delivery, List.of(),
          Optional.empty());
    }
    return PushSupport.noneMatches(matcher, seen);
  }

  /** The repository's HTTP clone URL ({@code links.clone[name=http]}), when the payload has it. */
  private static Optional<String> cloneUrl(JsonNode repository) {
    for (JsonNode link : repository.path("links").path("clone")) {
      if ("http".equals(Json.text(link, "name").orElse(""))) {
        return Json.text(link, "href");
      }
    }
    return Optional.empty();
  }
}
