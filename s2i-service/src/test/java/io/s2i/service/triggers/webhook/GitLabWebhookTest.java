package io.s2i.service.triggers.webhook;

import static io.s2i.service.triggers.webhook.Payloads.SECRET;
import static io.s2i.service.triggers.webhook.Payloads.edited;
import static io.s2i.service.triggers.webhook.Payloads.fixture;
import static io.s2i.service.triggers.webhook.Payloads.gitlab;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class GitLabWebhookTest {
  private final GitLabWebhook hook = new GitLabWebhook();
  private final WebhookTrigger master = WebhookTrigger.forGit(Optional.empty(), WebhookSecret.of(SECRET));

  @Test
  void aPushHookWithTheTokenBuildsTheCheckedOutCommit() {
    WebhookResult result = hook.handle(gitlab("Push Hook", fixture("gitlab/push.json"), SECRET, "k1"), master);

    WebhookResult.Build build = (WebhookResult.Build) result;
    assertThat(build.provider()).isEqualTo(Provider.GITLAB);
    assertThat(build.deliveryId()).as("Idempotency-Key, stable across GitLab's retries").contains("k1");
    Revision r = build.revision().orElseThrow();
    assertThat(r.commit()).isEqualTo("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
    assertThat(r.previousCommit()).contains("95790bf891e76fee5e1747ab589903a6a1f80f22");
    assertThat(r.ref()).isEqualTo("refs/heads/master");
    assertThat(r.uri()).contains("http://example.com/mike/diaspora.git");
    assertThat(r.author()).contains(new Revision.GitUser("GitLab dev user", "gitlabdev@dv6700.(none)"));
    assertThat(r.message()).contains("fixed readme");
  }

  @Test
  void withoutIdempotencyKeyTheEventUuidIsTheDeliveryId() {
    byte[] body = fixture("gitlab/push.json");
    Headers headers = Headers.ofPairs("Content-Type", "application/json", "X-Gitlab-Event", "Push Hook",
        "X-Gitlab-Token", SECRET, "X-Gitlab-Event-UUID", "13792a34-cac6-4fda-95a8-c58e00a3954e");

    WebhookResult.Build build = (WebhookResult.Build) hook.handle(new WebhookRequest(headers, body), master);

    assertThat(build.deliveryId()).contains("13792a34-cac6-4fda-95a8-c58e00a3954e");
  }

  @Test
  void aWrongOrMissingTokenIsUnauthorized() {
    byte[] body = fixture("gitlab/push.json");

    WebhookResult wrong = hook.handle(gitlab("Push Hook", body, SECRET + "x", "k2"), master);
    WebhookResult missing = hook.handle(new WebhookRequest(
        Headers.ofPairs("Content-Type", "application/json", "X-Gitlab-Event", "Push Hook"), body), master);

    assertThat(wrong).isInstanceOf(WebhookResult.Unauthorized.class);
    assertThat(wrong.message()).isEqualTo("X-Gitlab-Token does not match the trigger's secret");
    assertThat(missing).isInstanceOf(WebhookResult.Unauthorized.class);
    assertThat(missing.message()).contains("X-Gitlab-Token is missing").contains("Secret token");
  }

  @Test
  void aPushToAnotherBranchIsSkipped() {
    WebhookResult result = hook.handle(gitlab("Push Hook", fixture("gitlab/push-not-master-branch.json"), SECRET, "k3"), master);

    assertThat(result).isInstanceOf(WebhookResult.Skip.class);
    assertThat(result.message()).contains("branch my_other_branch");
  }

  @Test
  void aTagPushHookIsSkippedForABranchConfiguration() {
    byte[] body = edited("gitlab/push.json", n -> n.put("ref", "refs/tags/v1.0.0").put("object_kind", "tag_push"));

    WebhookResult result = hook.handle(gitlab("Tag Push Hook", body, SECRET, "k4"), master);

    assertThat(result).isInstanceOf(WebhookResult.Skip.class);
    assertThat(result.message()).contains("tag v1.0.0").contains("builds branch master");
  }

  @Test
  void aBranchDeletionIsSkipped() {
    byte[] body = edited("gitlab/push.json", n -> {
      n.put("after", "0000000000000000000000000000000000000000");
      n.putNull("checkout_sha");
      n.putArray("commits");
      n.put("total_commits_count", 0);
    });

    WebhookResult result = hook.handle(gitlab("Push Hook", body, SECRET, "k5"), master);

    assertThat(result).isInstanceOf(WebhookResult.Skip.class);
    assertThat(result.message()).contains("deleted branch master");
  }

  @Test
  void otherEventsAreSkippedAndAMissingEventIsABadRequest() {
    WebhookResult mr = hook.handle(gitlab("Merge Request Hook", "{}".getBytes(), SECRET, "k6"), master);
    WebhookResult none = hook.handle(new WebhookRequest(Headers.ofPairs("X-Gitlab-Token", SECRET), new byte[0]), master);

    assertThat(mr).isInstanceOf(WebhookResult.Skip.class);
    assertThat(mr.message()).contains("only Push Hook");
    assertThat(none).isInstanceOf(WebhookResult.BadRequest.class);
  }

  @Test
  void aCommitMissingFromTheListStillBuildsWithoutAuthor() {
    byte[] body = edited("gitlab/push.json", n -> n.putArray("commits"));

    Revision r = ((WebhookResult.Build) hook.handle(gitlab("Push Hook", body, SECRET, "k7"), master)).revision().orElseThrow();

    assertThat(r.commit()).isEqualTo("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
    assertThat(r.author()).isEmpty();
    assertThat(r.message()).isEmpty();
  }
}
