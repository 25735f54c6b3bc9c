package io.s2i.service.triggers.webhook;

import static io.s2i.service.triggers.webhook.Payloads.SECRET;
import static io.s2i.service.triggers.webhook.Payloads.edited;
import static io.s2i.service.triggers.webhook.Payloads.fixture;
import static io.s2i.service.triggers.webhook.Payloads.github;
import static io.s2i.service.triggers.webhook.Payloads.hmacHex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GitHubWebhookTest {
  private final GitHubWebhook hook = new GitHubWebhook();
  private final WebhookTrigger master = WebhookTrigger.forGit(Optional.empty(), WebhookSecret.of(SECRET));

  @Test
  void aSignedPushToTheConfiguredBranchBuildsThatCommit() {
    WebhookResult result = hook.handle(github("push", fixture("github/push.json"), SECRET, "d1"), master);

    assertThat(result).isInstanceOf(WebhookResult.Build.class);
    WebhookResult.Build build = (WebhookResult.Build) result;
    assertThat(build.provider()).isEqualTo(Provider.GITHUB);
    assertThat(build.deliveryId()).contains("d1");
    assertThat(build.env()).isEmpty();
    Revision r = build.revision().orElseThrow();
    assertThat(r.commit()).isEqualTo("9bdc3a26ff933b32f3e558636b58aea86a69f051");
    assertThat(r.ref()).isEqualTo("refs/heads/master");
    assertThat(r.uri()).contains("https://github.com/anonUser/anonRepo.git");
    assertThat(r.author()).contains(new Revision.GitUser("Anonymous User", "anonUser@example.com"));
    assertThat(r.committer()).contains(new Revision.GitUser("Anonymous User", "anonUser@example.com"));
    assertThat(r.message()).contains("Added license");
    assertThat(r.previousCommit()).as("before is all zeros: the branch was created").isEmpty();
    assertThat(result.httpStatus()).isEqualTo(200);
  }

  @Test
  void theDocumentedNewBranchExampleBuildsItsHeadCommit() {
    WebhookResult result = hook.handle(github("push", fixture("github/push-new-branch.json"), SECRET, "d2"), master);

    Revision r = ((WebhookResult.Build) result).revision().orElseThrow();
    assertThat(r.commit()).isEqualTo("6113728f27ae82c7b1a177c8d03f9e96e0adf246");
    assertThat(r.message()).contains("Initial commit");
  }

  @Test
  void anUpdatePushRecordsThePreviousCommit() {
    byte[] body = edited("github/push.json", n -> n.put("before", "1e65c05c1d5171631d92438a13901ca7dae9618c"));

    Revision r = ((WebhookResult.Build) hook.handle(github("push", body, SECRET, "d3"), master)).revision().orElseThrow();

    assertThat(r.previousCommit()).contains("1e65c05c1d5171631d92438a13901ca7dae9618c");
  }

  @Test
  void aPushToAnotherBranchIsSkippedWithTheReason() {
    WebhookResult result = hook.handle(github("push", fixture("github/push-not-master-branch.json"), SECRET, "d4"), master);

    assertThat(result).isInstanceOf(WebhookResult.Skip.class);
    assertThat(result.httpStatus()).isEqualTo(200);
    assertThat(result.message()).contains("branch my_other_branch").contains("builds branch master");
  }

  @Test
  void theConfiguredRefMayBeWrittenWithOrWithoutRefsHeads() {
    for (String ref : new String[] {"my_other_branch", "refs/heads/my_other_branch"}) {
      WebhookTrigger trigger = WebhookTrigger.forGit(Optional.of(ref), WebhookSecret.of(SECRET));
      WebhookResult result = hook.handle(github("push", fixture("github/push-not-master-branch.json"), SECRET, "d"), trigger);
      assertThat(result).as(ref).isInstanceOf(WebhookResult.Build.class);
    }
    WebhookTrigger other = WebhookTrigger.forGit(Optional.of("main"), WebhookSecret.of(SECRET));
    assertThat(hook.handle(github("push", fixture("github/push.json"), SECRET, "d"), other).message())
        .contains("builds branch main");
  }

  @Test
  void aTagPushIsSkipped() {
    byte[] body = edited("github/push.json", n -> n.put("ref", "refs/tags/v1.0"));

    WebhookResult result = hook.handle(github("push", body, SECRET, "d5"), master);

    assertThat(result).isInstanceOf(WebhookResult.Skip.class);
    assertThat(result.message()).contains("tag v1.0");
  }

  @Test
  void theDocumentedTagDeletionIsSkippedEvenWhenTheTagIsTheConfiguredRef() {
    assertThat(hook.handle(github("push", fixture("github/push-tag-deleted.json"), SECRET, "d6"), master).message())
        .contains("tag simple-tag");
    WebhookTrigger onTag = WebhookTrigger.forGit(Optional.of("refs/tags/simple-tag"), WebhookSecret.of(SECRET));

    WebhookResult result = hook.handle(github("push", fixture("github/push-tag-deleted.json"), SECRET, "d6"), onTag);

    assertThat(result).isInstanceOf(WebhookResult.Skip.class);
    assertThat(result.message()).contains("deleted tag simple-tag");
  }

  @Test
  void aBranchDeletionIsSkipped() {
    byte[] body = edited("github/push.json", n -> {
      n.put("before", "9bdc3a26ff933b32f3e558636b58aea86a69f051");
      n.put("after", "0000000000000000000000000000000000000000");
      n.put("deleted", true);
      n.putNull("head_commit");
    });

    WebhookResult result = hook.handle(github("push", body, SECRET, "d7"), master);

    assertThat(result).isInstanceOf(WebhookResult.Skip.class);
    assertThat(result.message()).contains("deleted branch master");
  }

  @Test
  void aPingIsAnsweredAndBuildsNothing() {
    WebhookResult result = hook.handle(github("ping", fixture("github/ping.json"), SECRET, "p1"), master);

    assertThat(result).isEqualTo(new WebhookResult.Ping(Provider.GITHUB, Optional.of("p1")));
    assertThat(result.httpStatus()).isEqualTo(200);
  }

  @Test
  void otherEventsAreSkipped() {
    WebhookResult result = hook.handle(github("pull_request", "{}".getBytes(StandardCharsets.UTF_8), SECRET, "e"), master);

    assertThat(result).isInstanceOf(WebhookResult.Skip.class);
    assertThat(result.message()).contains("\"pull_request\"").contains("only push");
  }

  @Test
  void aWrongSecretIsUnauthorized() {
    WebhookResult result = hook.handle(github("push", fixture("github/push.json"), "not-the-secret", "d8"), master);

    assertThat(result).isInstanceOf(WebhookResult.Unauthorized.class);
    assertThat(result.httpStatus()).isEqualTo(401);
    assertThat(result.message()).contains("X-Hub-Signature-256 does not match");
  }

  @Test
  void aBodyChangedAfterSigningIsUnauthorized() {
    byte[] body = fixture("github/push.json");
    WebhookRequest signed = github("push", body, SECRET, "d9");
    byte[] tampered = edited("github/push.json", n -> n.put("after", "ffffffffffffffffffffffffffffffffffffffff"));

    WebhookResult result = hook.handle(new WebhookRequest(signed.headers(), tampered), master);

    assertThat(result).isInstanceOf(WebhookResult.Unauthorized.class);
  }

  @Test
  void anUnsignedRequestIsUnauthorizedWhateverElseItLacks() {
    WebhookResult missing = hook.handle(new WebhookRequest(Headers.ofPairs(), new byte[] {'x'}), master);
    WebhookResult sha1Only = hook.handle(new WebhookRequest(Headers.ofPairs("X-GitHub-Event", "push",
        "X-Hub-Signature", "sha1=0123456789abcdef0123456789abcdef01234567"), fixture("github/push.json")), master);

    assertThat(missing).isInstanceOf(WebhookResult.Unauthorized.class);
    assertThat(missing.message()).contains("X-Hub-Signature-256 is missing").contains("Secret in GitHub");
    assertThat(sha1Only).isInstanceOf(WebhookResult.Unauthorized.class);
  }

  @Test
  void malformedOrRepeatedSignaturesAreUnauthorized() {
    byte[] body = fixture("github/push.json");
    String good = "sha256=" + hmacHex(SECRET, body);
    for (Headers headers : new Headers[] {
        Headers.ofPairs("X-GitHub-Event", "push", "X-Hub-Signature-256", hmacHex(SECRET, body)),
        Headers.ofPairs("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha1=" + hmacHex(SECRET, body)),
        Headers.ofPairs("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=zz"),
        Headers.ofPairs("X-GitHub-Event", "push", "X-Hub-Signature-256", good, "X-Hub-Signature-256", good)}) {
      assertThat(hook.handle(new WebhookRequest(headers, body), master)).as(headers.toString())
          .isInstanceOf(WebhookResult.Unauthorized.class);
    }
  }

  @Test
  void headerNamesAndSignatureHexAreCaseInsensitive() {
    byte[] body = fixture("github/push.json");
    Headers lower = Headers.ofPairs("content-type", "application/json; charset=utf-8", "x-github-event", "push",
        "x-github-delivery", "d10", "x-hub-signature-256", "sha256=" + hmacHex(SECRET, body).toUpperCase());

    assertThat(hook.handle(new WebhookRequest(lower, body), master)).isInstanceOf(WebhookResult.Build.class);
  }

  @Test
  void aSecretInTheUrlMustMatchButIsNotEnoughAlone() {
    byte[] body = fixture("github/push.json");
    WebhookRequest signed = github("push", body, SECRET, "d11");

    assertThat(hook.handle(new WebhookRequest(signed.headers(), body, Optional.of(SECRET)), master))
        .isInstanceOf(WebhookResult.Build.class);
    assertThat(hook.handle(new WebhookRequest(signed.headers(), body, Optional.of("wrong")), master))
        .isInstanceOf(WebhookResult.Unauthorized.class);
    Headers unsigned = Headers.ofPairs("X-GitHub-Event", "push", "Content-Type", "application/json");
    assertThat(hook.handle(new WebhookRequest(unsigned, body, Optional.of(SECRET)), master))
        .as("OpenShift accepts this; we do not").isInstanceOf(WebhookResult.Unauthorized.class);
  }

  @Test
  void eitherOfTwoSecretsIsAcceptedWhileRotating() {
    WebhookTrigger rotating = WebhookTrigger.forGit(Optional.empty(), WebhookSecret.of("old-secret"), WebhookSecret.of(SECRET));

    assertThat(hook.handle(github("push", fixture("github/push.json"), SECRET, "r"), rotating))
        .isInstanceOf(WebhookResult.Build.class);
    assertThat(hook.handle(github("push", fixture("github/push.json"), "old-secret", "r"), rotating))
        .isInstanceOf(WebhookResult.Build.class);
  }

  @Test
  void aTriggerWithoutSecretAcceptsNothing() {
    WebhookTrigger none = WebhookTrigger.forGit(Optional.empty());

    WebhookResult result = hook.handle(github("push", fixture("github/push.json"), SECRET, "n"), none);

    assertThat(result).isInstanceOf(WebhookResult.Unauthorized.class);
    assertThat(result.message()).contains("has no secret");
  }

  @Test
  void signedButUnreadablePushesAreBadRequests() {
    byte[] form = ("payload=" + new String(fixture("github/push.json"), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    WebhookRequest formRequest = github("push", form, SECRET, "b1");
    Headers formHeaders = Headers.ofPairs("Content-Type", "application/x-www-form-urlencoded", "X-GitHub-Event", "push",
        "X-Hub-Signature-256", formRequest.headers().first("X-Hub-Signature-256").orElseThrow());
    byte[] notJson = "{\"ref\": ".getBytes(StandardCharsets.UTF_8);
    byte[] badCommit = edited("github/push.json", n -> n.put("after", "HEAD~1"));
    byte[] badRef = edited("github/push.json", n -> n.put("ref", "refs/heads/../../etc"));
    byte[] noEventBody = fixture("github/push.json");
    Headers noEvent = Headers.ofPairs("Content-Type", "application/json", "X-Hub-Signature-256",
        "sha256=" + hmacHex(SECRET, noEventBody));

    assertThat(hook.handle(new WebhookRequest(formHeaders, form), master).message())
        .contains("Content-Type must be application/json").contains("Content type");
    WebhookResult malformed = hook.handle(github("push", notJson, SECRET, "b2"), master);
    assertThat(malformed).isInstanceOf(WebhookResult.BadRequest.class);
    assertThat(malformed.message()).startsWith("the body is not valid JSON").doesNotContain("\n");
    assertThat(hook.handle(github("push", badCommit, SECRET, "b3"), master).message()).contains("not a commit id");
    assertThat(hook.handle(github("push", badRef, SECRET, "b4"), master).message()).contains("not a valid git ref");
    assertThat(hook.handle(new WebhookRequest(noEvent, noEventBody), master).message()).contains("X-GitHub-Event is missing");
  }
}
