package io.s2i.service.triggers.webhook;

import static io.s2i.service.triggers.webhook.Payloads.SECRET;
import static io.s2i.service.triggers.webhook.Payloads.fixture;
import static io.s2i.service.triggers.webhook.Payloads.github;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {
  private final WebhookTrigger master = WebhookTrigger.forGit(Optional.empty(), WebhookSecret.of(SECRET));
  private final WebhookReceiver receiver = new WebhookReceiver(new InMemoryDeliveryLog());

  @Test
  void aReplayedGitHubDeliveryDoesNotBuildTwice() {
    WebhookRequest delivery = github("push", fixture("github/push.json"), SECRET, "72d3162e-cc78-11e3-81ab-4c9367dc0958");

    WebhookResult first = receiver.receive("app", "github", delivery, master);
    WebhookResult replay = receiver.receive("app", "github", delivery, master);

    assertThat(first).isInstanceOf(WebhookResult.Build.class);
    assertThat(replay).isInstanceOf(WebhookResult.Skip.class);
    assertThat(replay.httpStatus()).isEqualTo(200);
    assertThat(replay.message()).contains("72d3162e-cc78-11e3-81ab-4c9367dc0958").contains("does not build twice");
  }

  @Test
  void anUnverifiedRequestDoesNotUseUpItsDeliveryId() {
    byte[] body = fixture("github/push.json");
    WebhookRequest forged = github("push", body, "guess", "d-1");

    assertThat(receiver.receive("app", "github", forged, master)).isInstanceOf(WebhookResult.Unauthorized.class);
    assertThat(receiver.receive("app", "github", github("push", body, SECRET, "d-1"), master))
        .isInstanceOf(WebhookResult.Build.class);
  }

  @Test
  void theSameDeliveryToTwoConfigurationsBuildsEach() {
    WebhookRequest delivery = github("push", fixture("github/push.json"), SECRET, "d-2");

    assertThat(receiver.receive("app", "github", delivery, master)).isInstanceOf(WebhookResult.Build.class);
    assertThat(receiver.receive("other-app", "github", delivery, master)).isInstanceOf(WebhookResult.Build.class);
  }

  @Test
  void skippedAndPingDeliveriesAreNotRecorded() {
    WebhookTrigger onMain = WebhookTrigger.forGit(Optional.of("main"), WebhookSecret.of(SECRET));
    WebhookRequest delivery = github("push", fixture("github/push.json"), SECRET, "d-3");

    assertThat(receiver.receive("app", "github", delivery, onMain)).isInstanceOf(WebhookResult.Skip.class);
    assertThat(receiver.receive("app", "github", delivery, master)).isInstanceOf(WebhookResult.Build.class);
  }

  @Test
  void deliveriesWithoutIdAlwaysBuild() {
    WebhookRequest generic = new WebhookRequest(Headers.ofPairs(), new byte[0], Optional.of(SECRET));

    assertThat(receiver.receive("app", "generic", generic, master)).isInstanceOf(WebhookResult.Build.class);
    assertThat(receiver.receive("app", "generic", generic, master)).isInstanceOf(WebhookResult.Build.class);
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    WebhookReceiver small = new WebhookReceiver(new InMemoryDeliveryLog(), new WebhookBodyLimit(1024));
    byte[] body = fixture("github/push.json");

    WebhookResult result = small.receive("app", "github", github("push", body, SECRET, "big"), master);

    assertThat(body.length).isGreaterThan(1024);
    assertThat(result).isInstanceOf(WebhookResult.TooLarge.class);
    assertThat(result.httpStatus()).isEqualTo(413);
    assertThat(result.message()).isEqualTo("the webhook body is larger than 1 KiB; nothing was built");
  }

  @Test
  void theLimitReadsNoMoreThanOneBytePastIt() throws Exception {
    WebhookBodyLimit limit = new WebhookBodyLimit(1000);
    CountingStream endless = new CountingStream();

    assertThatThrownBy(() -> limit.read(endless)).isInstanceOf(WebhookBodyLimit.TooLargeException.class)
        .hasMessageContaining("larger than 1000 bytes");
    assertThat(endless.served).isEqualTo(1001);
    assertThat(limit.read(new ByteArrayInputStream(new byte[1000]))).hasSize(1000);
    assertThat(limit.exceeds(1001)).isTrue();
    assertThat(limit.exceeds(1000)).isFalse();
    assertThat(WebhookBodyLimit.defaults().reason()).contains("5 MiB");
  }

  @Test
  void anUnknownTypeIsABadRequestNamingTheKnownOnes() {
    WebhookResult result = receiver.receive("app", "gogs", new WebhookRequest(Headers.ofPairs(), new byte[0]), master);

    assertThat(result).isInstanceOf(WebhookResult.BadRequest.class);
    assertThat(result.message()).contains("bitbucket, generic, github, gitlab");
    assertThat(receiver.provider("gitlab")).containsInstanceOf(GitLabWebhook.class);
    assertThat(receiver.provider("gogs")).isEmpty();
  }

  /** An endless stream of zeros that counts what it served. */
  private static final class CountingStream extends InputStream {
    long served;

    @Override
    public int read() {
      served++;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      served += len;
      return len;
    }
  }
}
