package io.s2i.service.triggers.webhook;

import static io.s2i.service.triggers.webhook.Payloads.SECRET;
import static io.s2i.service.triggers.webhook.Payloads.edited;
import static io.s2i.service.triggers.webhook.Payloads.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.EnvVar;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GenericWebhookTest {
  private final GenericWebhook hook = new GenericWebhook();
  private final WebhookTrigger master = WebhookTrigger.forGit(Optional.empty(), WebhookSecret.of(SECRET));

  private static WebhookRequest post(String contentType, byte[] body, String urlSecret) {
    Headers headers = contentType == null ? Headers.ofPairs() : Headers.ofPairs("Content-Type", contentType);
    return new WebhookRequest(headers, body, Optional.ofNullable(urlSecret));
  }

  @Test
  void openShiftsJsonPayloadBuildsItsCommit() {
    WebhookResult result = hook.handle(post("application/json", fixture("generic/push-generic.json"), SECRET), master);

    WebhookResult.Build build = (WebhookResult.Build) result;
    assertThat(build.provider()).isEqualTo(Provider.GENERIC);
    Revision r = build.revision().orElseThrow();
    assertThat(r.commit()).isEqualTo("9bdc3a26ff933b32f3e558636b58aea86a69f051");
    assertThat(r.uri()).contains("git://mygitserver/myrepo.git");
    assertThat(r.author()).contains(new Revision.GitUser("Jon Doe", "jondoe@email.com"));
    assertThat(r.committer()).contains(new Revision.GitUser("Jon Doe", "jondoe@email.com"));
    assertThat(r.message()).contains("Random act of kindness");
    assertThat(build.env()).isEmpty();
    assertThat(build.warning()).isEmpty();
  }

  @Test
  void theSecretInTheUrlIsRequiredAndMustMatch() {
    byte[] body = fixture("generic/push-generic.json");

    WebhookResult wrong = hook.handle(post("application/json", body, "guess"), master);
    WebhookResult none = hook.handle(post("application/json", body, null), master);

    assertThat(wrong).isInstanceOf(WebhookResult.Unauthorized.class);
    assertThat(wrong.message()).isEqualTo("the webhook did not accept the secret in its URL");
    assertThat(none).isInstanceOf(WebhookResult.Unauthorized.class);
  }

  @Test
  void envIsPassedOnlyWhenTheTriggerAllowsIt() {
    byte[] body = fixture("generic/push-generic-envs.json");

    WebhookResult.Build allowed = (WebhookResult.Build) hook.handle(post("application/json", body, SECRET), master.withAllowEnv(true));
    WebhookResult.Build refused = (WebhookResult.Build) hook.handle(post("application/json", body, SECRET), master);

    assertThat(allowed.env()).containsExactly(new EnvVar("EXAMPLE", "sample-app"));
    assertThat(allowed.warning()).isEmpty();
    assertThat(refused.env()).isEmpty();
    assertThat(refused.warning()).contains("env was ignored: the trigger does not allow it (allowEnv)");
    assertThat(refused.revision()).isPresent();
  }

  @Test
  void theYamlPayloadReadsAsTheJsonOne() {
    WebhookResult.Build yaml = (WebhookResult.Build) hook.handle(
        post("application/yaml", fixture("generic/push-generic-envs.yaml"), SECRET), master.withAllowEnv(true));
    WebhookResult.Build json = (WebhookResult.Build) hook.handle(
        post("application/json", fixture("generic/push-generic-envs.json"), SECRET), master.withAllowEnv(true));

    assertThat(yaml.revision()).isEqualTo(json.revision());
    assertThat(yaml.env()).isEqualTo(json.env()).isNotEmpty();
  }

  @Test
  void thePostReceiveFormBuildsTheFirstMatchingRef() {
    WebhookResult.Build build = (WebhookResult.Build) hook.handle(
        post("application/json", fixture("generic/post-receive-git.json"), SECRET), master);
    WebhookTrigger onDevelop = WebhookTrigger.forGit(Optional.of("develop"), WebhookSecret.of(SECRET));

    assertThat(build.revision().orElseThrow().commit()).isEqualTo("2602ace61490de0513dfbd7c7de949356cf9bd17");
    assertThat(build.revision().orElseThrow().author()).contains(new Revision.GitUser("Joe Smith", "joe.smith@gmail.com"));
    WebhookResult none = hook.handle(post("application/json", fixture("generic/post-receive-git.json"), SECRET), onDevelop);
    assertThat(none).isInstanceOf(WebhookResult.Skip.class);
    assertThat(none.message()).contains("none of the payload's git.refs").contains("branch develop");
  }

  @Test
  void anotherBranchOrATagIsSkipped() {
    byte[] other = edited("generic/push-generic.json", n -> n.with("git").put("ref", "refs/heads/feature"));
    byte[] tag = edited("generic/push-generic.json", n -> n.with("git").put("ref", "refs/tags/v2"));

    assertThat(hook.handle(post("application/json", other, SECRET), master).message()).contains("branch feature");
    assertThat(hook.handle(post("application/json", tag, SECRET), master).message()).contains("tag v2");
  }

  @Test
  void noBodyOrNoGitInformationBuildsTheConfiguredRef() {
    WebhookResult.Build empty = (WebhookResult.Build) hook.handle(post(null, new byte[0], SECRET), master);
    WebhookResult.Build noGit = (WebhookResult.Build) hook.handle(
        post("application/json", "{\"type\": \"Git\"}".getBytes(StandardCharsets.UTF_8), SECRET), master);

    assertThat(empty.revision()).isEmpty();
    assertThat(empty.warning()).isEmpty();
    assertThat(noGit.revision()).isEmpty();
    assertThat(noGit.warning()).contains("the payload has no git information; the configured ref is built");
  }

  @Test
  void aBodyOfAnotherContentTypeIsIgnoredAsOpenShiftDoes() {
    WebhookResult.Build build = (WebhookResult.Build) hook.handle(
        post("application/x-www-form-urlencoded", fixture("generic/push-generic.json"), SECRET), master);

    assertThat(build.revision()).isEmpty();
    assertThat(build.warning().orElseThrow()).contains("the payload was ignored").contains("application/x-www-form-urlencoded");
  }

  @Test
  void aBodyThatClaimsJsonOrYamlAndIsNotIsABadRequest() {
    WebhookResult json = hook.handle(post("application/json", "{\"git\": [".getBytes(StandardCharsets.UTF_8), SECRET), master);
    WebhookResult yaml = hook.handle(post("application/yaml", "git: [unclosed".getBytes(StandardCharsets.UTF_8), SECRET), master);
    WebhookResult list = hook.handle(post("application/json", "[1, 2]".getBytes(StandardCharsets.UTF_8), SECRET), master);

    assertThat(json).isInstanceOf(WebhookResult.BadRequest.class);
    assertThat(yaml).isInstanceOf(WebhookResult.BadRequest.class);
    assertThat(yaml.message()).startsWith("the body is not valid YAML").doesNotContain("\n");
    assertThat(list.message()).isEqualTo("the body is not a JSON object");
  }

  @Test
  void yamlAliasBombsAreNotExpanded() {
    StringBuilder bomb = new StringBuilder("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      char p = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
          .append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append("]\n");
    }

    byte[] body = bomb.toString().getBytes(StandardCharsets.UTF_8);

    // Expanded, the last alias would be 9 * 7^10 strings: a hang or an OutOfMemoryError, not an answer.
    WebhookResult result = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
        () -> hook.handle(post("application/yaml", body, SECRET), master));

    assertThat(result).isInstanceOf(WebhookResult.Build.class);
    assertThat(result.message()).contains("no git information");
  }

  @Test
  void commitsAndRefsAreChecked() {
    byte[] shortCommit = edited("generic/push-generic.json", n -> n.with("git").put("commit", "9BDC3A2"));
    byte[] badCommit = edited("generic/push-generic.json", n -> n.with("git").put("commit", "--upload-pack=touch /tmp/x"));
    byte[] noCommit = edited("generic/push-generic.json", n -> n.with("git").remove("commit"));
    byte[] badRef = edited("generic/push-generic.json", n -> n.with("git").put("ref", "refs/heads/a b"));
    byte[] noRef = edited("generic/push-generic.json", n -> n.with("git").remove("ref"));

    assertThat(((WebhookResult.Build) hook.handle(post("application/json", shortCommit, SECRET), master))
        .revision().orElseThrow().commit()).isEqualTo("9bdc3a2");
    assertThat(hook.handle(post("application/json", badCommit, SECRET), master)).isInstanceOf(WebhookResult.BadRequest.class);
    WebhookResult.Build head = (WebhookResult.Build) hook.handle(post("application/json", noCommit, SECRET), master);
    assertThat(head.revision()).isEmpty();
    assertThat(head.warning().orElseThrow()).contains("names no commit");
    assertThat(hook.handle(post("application/json", badRef, SECRET), master)).isInstanceOf(WebhookResult.BadRequest.class);
    assertThat(hook.handle(post("application/json", noRef, SECRET), master).message()).contains("git.ref is empty");
  }

  @Test
  void badEnvEntriesAreBadRequests() {
    byte[] noName = edited("generic/push-generic-envs.json", n -> n.withArray("env").addObject().put("value", "x"));
    byte[] notList = edited("generic/push-generic-envs.json", n -> n.put("env", "A=B"));

    assertThat(hook.handle(post("application/json", noName, SECRET), master.withAllowEnv(true)))
        .isInstanceOf(WebhookResult.BadRequest.class);
    assertThat(hook.handle(post("application/json", notList, SECRET), master.withAllowEnv(true)))
        .isInstanceOf(WebhookResult.BadRequest.class);
  }

  @Test
  void aConfigurationThatDoesNotBuildFromGitBuildsWithoutRevision() {
    WebhookTrigger binary = new WebhookTrigger(List.of(WebhookSecret.of(SECRET)), Optional.empty(), false, true);

    WebhookResult.Build build = (WebhookResult.Build) hook.handle(
        post("application/json", fixture("generic/push-generic-envs.json"), SECRET), binary);

    assertThat(build.revision()).isEmpty();
    assertThat(build.env()).hasSize(1);
  }

  @Test
  void anIdempotencyKeyNamesTheDelivery() {
    Headers headers = Headers.ofPairs("Content-Type", "application/json", "Idempotency-Key", "ci-run-42");

    WebhookResult.Build build = (WebhookResult.Build) hook.handle(
        new WebhookRequest(headers, fixture("generic/push-generic.json"), Optional.of(SECRET)), master);

    assertThat(build.deliveryId()).contains("ci-run-42");
  }
}
