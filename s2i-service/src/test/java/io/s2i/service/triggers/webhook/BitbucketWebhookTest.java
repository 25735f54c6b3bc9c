package io.s2i.service.triggers.webhook;

import static io.s2i.service.triggers.webhook.Payloads.SECRET;
import static io.s2i.service.triggers.webhook.Payloads.bitbucketCloud;
import static io.s2i.service.triggers.webhook.Payloads.bitbucketServer;
import static io.s2i.service.triggers.webhook.Payloads.edited;
import static io.s2i.service.triggers.webhook.Payloads.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BitbucketWebhookTest {
  private final BitbucketWebhook hook = new BitbucketWebhook();
  private final WebhookTrigger master = WebhookTrigger.forGit(Optional.empty(), WebhookSecret.of(SECRET));

  @Test
  void aSignedCloudPushBuildsTheNewTipOfTheBranch() {
    WebhookResult result = hook.handle(bitbucketCloud(fixture("bitbucket-cloud/push.json"), SECRET, "u1"), master);

    WebhookResult.Build build = (WebhookResult.Build) result;
    assertThat(build.provider()).isEqualTo(Provider.BITBUCKET_CLOUD);
    assertThat(build.deliveryId()).contains("u1");
    Revision r = build.revision().orElseThrow();
    assertThat(r.commit()).as("new.target.hash, not commits[0]").isEqualTo("709d658dc5b6d6afcd46049c2f332ee3f515a67d");
    assertThat(r.previousCommit()).contains("1e65c05c1d5171631d92438a13901ca7dae9618c");
    assertThat(r.ref()).isEqualTo("refs/heads/master");
    assertThat(r.author()).contains(new Revision.GitUser("Emma", ""));
    assertThat(r.message()).contains("new commit message\n");
    assertThat(r.uri()).contains("https://api.bitbucket.org/bitbucket/bitbucket");
  }

  @Test
  void theCurrentCloudAuthorFormIsRead() {
    byte[] body = edited("bitbucket-cloud/push.json", n -> ((ObjectNode) n.at("/push/changes/0/new/target/author"))
        .put("raw", "Emma Paris <emma@example.com>"));

    Revision r = ((WebhookResult.Build) hook.handle(bitbucketCloud(body, SECRET, "u2"), master)).revision().orElseThrow();

    assertThat(r.author()).contains(new Revision.GitUser("Emma Paris", "emma@example.com"));
  }

  @Test
  void aCloudHookWithoutSecretMayProveItInTheUrlInstead() {
    byte[] body = fixture("bitbucket-cloud/push.json");
    Headers unsigned = Headers.ofPairs("Content-Type", "application/json", "X-Event-Key", "repo:push");

    assertThat(hook.handle(new WebhookRequest(unsigned, body, Optional.of(SECRET)), master))
        .isInstanceOf(WebhookResult.Build.class);
    assertThat(hook.handle(new WebhookRequest(unsigned, body, Optional.of("wrong")), master))
        .isInstanceOf(WebhookResult.Unauthorized.class);
    WebhookResult neither = hook.handle(new WebhookRequest(unsigned, body), master);
    assertThat(neither).isInstanceOf(WebhookResult.Unauthorized.class);
    assertThat(neither.message()).contains("X-Hub-Signature is missing and the URL has no secret");
  }

  @Test
  void everyProofPresentMustHold() {
    byte[] body = fixture("bitbucket-cloud/push.json");
    WebhookRequest wrongSignature = bitbucketCloud(body, "not-the-secret", "u3");

    assertThat(hook.handle(new WebhookRequest(wrongSignature.headers(), body, Optional.of(SECRET)), master))
        .isInstanceOf(WebhookResult.Unauthorized.class);
    WebhookRequest rightSignature = bitbucketCloud(body, SECRET, "u3");
    assertThat(hook.handle(new WebhookRequest(rightSignature.headers(), body, Optional.of("wrong")), master))
        .isInstanceOf(WebhookResult.Unauthorized.class);
  }

  @Test
  void aCloudPushToAnotherBranchIsSkipped() {
    WebhookResult result = hook.handle(bitbucketCloud(fixture("bitbucket-cloud/push-not-master.json"), SECRET, "u4"), master);

    assertThat(result).isInstanceOf(WebhookResult.Skip.class);
    assertThat(result.message()).contains("branch this-is-not-master");
  }

  @Test
  void theChangeOfTheConfiguredBranchDecidesWhenSeveralArePushed() {
    byte[] body = edited("bitbucket-cloud/push.json", n -> {
      ArrayNode changes = (ArrayNode) n.at("/push/changes");
      ObjectNode other = changes.get(0).deepCopy();
      ((ObjectNode) other.get("new")).put("name", "feature");
      ((ObjectNode) other.get("new").get("target")).put("hash", "ffffffffffffffffffffffffffffffffffffffff");
      changes.insert(0, other);
    });

    Revision r = ((WebhookResult.Build) hook.handle(bitbucketCloud(body, SECRET, "u5"), master)).revision().orElseThrow();

    assertThat(r.commit()).isEqualTo("709d658dc5b6d6afcd46049c2f332ee3f515a67d");
  }

  @Test
  void aCloudBranchDeletionIsSkipped() {
    byte[] body = edited("bitbucket-cloud/push.json", n -> {
      ObjectNode change = (ObjectNode) n.at("/push/changes/0");
      change.putNull("new");
      change.put("closed", true);
    });

    WebhookResult result = hook.handle(bitbucketCloud(body, SECRET, "u6"), master);

    assertThat(result).isInstanceOf(WebhookResult.Skip.class);
    assertThat(result.message()).contains("deleted branch master");
  }

  @Test
  void aCloudTagIsSkipped() {
    byte[] body = edited("bitbucket-cloud/push.json", n -> ((ObjectNode) n.at("/push/changes/0/new"))
        .put("type", "tag").put("name", "master"));

    WebhookResult result = hook.handle(bitbucketCloud(body, SECRET, "u7"), master);

    assertThat(result).as("a tag named like the branch is still a tag").isInstanceOf(WebhookResult.Skip.class);
    assertThat(result.message()).contains("tag master");
  }

  @Test
  void aSignedServerPushBuildsToHash() {
    WebhookResult result = hook.handle(
        bitbucketServer("repo:refs_changed", fixture("bitbucket-server/refs-changed.json"), SECRET, "r1"), master);

    WebhookResult.Build build = (WebhookResult.Build) result;
    assertThat(build.provider()).isEqualTo(Provider.BITBUCKET_SERVER);
    assertThat(build.deliveryId()).contains("r1");
    Revision r = build.revision().orElseThrow();
    assertThat(r.commit()).isEqualTo("178864a7d521b6f5e720b386b2c2b0ef8563e0dc");
    assertThat(r.previousCommit()).contains("ecddabb624f6f5ba43816f5926e580a5f680a932");
    assertThat(r.ref()).isEqualTo("refs/heads/master");
    assertThat(r.author()).as("the payload names no author").isEmpty();
  }

  @Test
  void aServerPushWithAWrongSignatureIsUnauthorized() {
    WebhookResult result = hook.handle(
        bitbucketServer("repo:refs_changed", fixture("bitbucket-server/refs-changed.json"), "nope", "r2"), master);

    assertThat(result).isInstanceOf(WebhookResult.Unauthorized.class);
    assertThat(result.message()).contains("X-Hub-Signature does not match");
  }

  @Test
  void serverPushesToOtherBranchesAndDeletionsAreSkipped() {
    WebhookResult other = hook.handle(
        bitbucketServer("repo:refs_changed", fixture("bitbucket-server/refs-changed-not-master.json"), SECRET, "r3"), master);
    byte[] deletion = edited("bitbucket-server/refs-changed.json", n -> ((ObjectNode) n.at("/changes/0"))
        .put("type", "DELETE").put("toHash", "0000000000000000000000000000000000000000"));
    WebhookResult deleted = hook.handle(bitbucketServer("repo:refs_changed", deletion, SECRET, "r4"), master);

    assertThat(other.message()).contains("branch other");
    assertThat(deleted).isInstanceOf(WebhookResult.Skip.class);
    assertThat(deleted.message()).contains("deleted branch master");
  }

  @Test
  void serverTestConnectionIsAPingAndOtherEventsAreSkipped() {
    byte[] test = "{\"test\": true}".getBytes();

    assertThat(hook.handle(bitbucketServer("diagnostics:ping", test, SECRET, "r5"), master))
        .isEqualTo(new WebhookResult.Ping(Provider.BITBUCKET_SERVER, Optional.of("r5")));
    WebhookResult pr = hook.handle(bitbucketServer("pr:opened", test, SECRET, "r6"), master);
    assertThat(pr).isInstanceOf(WebhookResult.Skip.class);
    assertThat(pr.message()).contains("\"pr:opened\"");
    assertThat(hook.handle(bitbucketServer("diagnostics:ping", test, "nope", "r7"), master))
        .as("a ping proves the secret too").isInstanceOf(WebhookResult.Unauthorized.class);
  }

  @Test
  void aSignedRequestWithoutEventKeyIsABadRequest() {
    byte[] body = fixture("bitbucket-cloud/push.json");
    Headers headers = Headers.ofPairs("Content-Type", "application/json", "X-Hub-Signature",
        "sha256=" + Payloads.hmacHex(SECRET, body));

    assertThat(hook.handle(new WebhookRequest(headers, body), master)).isInstanceOf(WebhookResult.BadRequest.class);
  }
}
