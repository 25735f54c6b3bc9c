package io.s2i.service.triggers.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The secret never appears in a result, a reason or a {@code toString()}, whatever the request. */
class SecretLeakTest {
  private static final String SECRET = "Leak-Canary-3f9c1e";

  @Test
  void noResultOrDescriptionHoldsTheSecret() {
    WebhookTrigger trigger = WebhookTrigger.forGit(Optional.of("main"), WebhookSecret.of(SECRET)).withAllowEnv(true);
    byte[] push = Payloads.fixture("github/push.json");
    byte[] generic = Payloads.fixture("generic/push-generic-envs.json");
    List<WebhookRequest> requests = new ArrayList<>();
    for (String secret : new String[] {SECRET, SECRET + "x", SECRET.substring(1)}) {
      requests.add(Payloads.github("push", push, secret, "d"));
      requests.add(Payloads.github("ping", push, secret, "d"));
      requests.add(Payloads.gitlab("Push Hook", Payloads.fixture("gitlab/push.json"), secret, "k"));
      requests.add(Payloads.bitbucketCloud(Payloads.fixture("bitbucket-cloud/push.json"), secret, "u"));
      requests.add(Payloads.bitbucketServer("repo:refs_changed", Payloads.fixture("bitbucket-server/refs-changed.json"), secret, "r"));
      requests.add(new WebhookRequest(Headers.ofPairs("Content-Type", "application/json", "X-Gitlab-Token", secret,
          "X-Event-Key", "repo:push", "X-GitHub-Event", "push"), generic, Optional.of(secret)));
      requests.add(new WebhookRequest(Headers.ofPairs("Content-Type", "text/plain", "X-Hub-Signature-256", "sha256=" + secret,
          "X-Hub-Signature", secret), secret.getBytes(StandardCharsets.UTF_8), Optional.of(secret)));
    }
    WebhookReceiver receiver = new WebhookReceiver(new InMemoryDeliveryLog());
    List<String> said = new ArrayList<>();
    said.add(trigger.toString());
    for (WebhookRequest request : requests) {
      said.add(request.toString());
      for (String type : receiver.urlTypes()) {
        WebhookResult result = receiver.receive("app", type, request, trigger);
        said.add(result.toString());
        said.add(result.message());
      }
    }
    said.add(WebhookRoute.parse("/api/v1/webhooks/app/generic/" + SECRET).orElseThrow().toString());
    said.add(WebhookRoute.parse("/apis/build.openshift.io/v1/namespaces/p/buildconfigs/app/webhooks/" + SECRET + "/github")
        .orElseThrow().toString());

    assertThat(said).hasSizeGreaterThan(80);
    assertThat(said).noneMatch(s -> s.contains(SECRET) || s.contains(SECRET.substring(1)));
    assertThat(String.join("\n", said)).contains("Unauthorized").contains("Build").contains("Skip");
  }
}
