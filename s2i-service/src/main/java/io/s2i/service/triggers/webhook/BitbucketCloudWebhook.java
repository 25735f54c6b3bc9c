package io.s2i.service.triggers.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bitbucket Cloud's {@code repo:push}: one request may carry several changes (branches and tags
 * pushed together); the change to the configured ref decides. Its {@code new.target} is the commit
 * built; a change whose {@code new} is null deleted the ref. (OpenShift reads only the first change
 * and its {@code old} name, which misses a push of several refs and a new branch.)
 */
final class BitbucketCloudWebhook {

  WebhookResult read(WebhookRequest request, WebhookTrigger trigger) {
    JsonNode push;
    try {
      push = PushSupport.readJson(request, "Bitbucket sends JSON; check the sender");
    } catch (PushSupport.Refused unreadable) {
      return unreadable.result();
    }
    Optional<String> delivery = PushSupport.deliveryId(request.headers(), "X-Request-UUID");
    JsonNode changes = push.path("push").path("changes");
    if (!changes.isArray() || changes.isEmpty()) {
      return new WebhookResult.BadRequest("the repo:push payload has no push.changes");
    }
    RefMatcher matcher = trigger.refMatcher();
    List<String> seen = new ArrayList<>();
    for (JsonNode change : changes) {
      JsonNode now = change.path("new");
      JsonNode before = change.path("old");
      JsonNode named = now.isObject() ? now : before;
      Optional<String> name = Json.text(named, "name");
      if (name.isEmpty()) {
        continue;
      }
      String ref = "tag".equals(Json.text(named, "type").orElse("")) ? RefMatcher.tagRef(name.get())
          : RefMatcher.branchRef(name.get());
      if (!RefMatcher.isValidRef(ref)) {
        return new WebhookResult.BadRequest("a change's name is not a valid git ref name");
      }
      if (!matcher.matches(ref)) {
        seen.add(ref);
        continue;
      }
      if (!now.isObject()) {
        return PushSupport.deleted(ref);
      }
      JsonNode target = now.path("target");
      Optional<String> commit = Json.text(target, "hash").flatMap(CommitId::full);
      if (commit.isEmpty()) {
        return new WebhookResult.BadRequest("the change's new.target.hash is not a commit id");
      }
      Optional<Revision.GitUser> author = Json.text(target, "author", "raw").flatMap(PushSupport::parseRaw)
          .or(() -> Json.text(target, "author", "user", "display_name")
              .or(() -> Json.text(target, "author", "display_name"))
              .map(n -> new Revision.GitUser(n, "")));
      Revision revision = new Revision(
          Json.text(push, "repository", "links", "html", "href"),
          ref,
          commit.get(),
          Json.text(before, "target", "hash").flatMap(CommitId::full),
          author,
          Optional.empty(),
          Json.text(target, "message"));
      return new WebhookResult.Build(Optional.of(revision), Provider.BITBUCKET_CLOUD, delivery, List.of(),
          Optional.empty());
    }
    if (seen.isEmpty()) {
      return new WebhookResult.BadRequest("no change of the repo:push payload names a branch or tag");
    }
    return PushSupport.noneMatches(matcher, seen);
  }
}
