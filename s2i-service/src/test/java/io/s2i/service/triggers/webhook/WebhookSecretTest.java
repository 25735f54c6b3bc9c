package io.s2i.service.triggers.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSecretTest {

  @Test
  void githubsDocumentedTestVectorSigns() {
    // docs.github.com, "Validating webhook deliveries": the values to test an implementation with.
    WebhookSecret secret = WebhookSecret.of("It's a Secret to Everybody");
    byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    String documented = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    assertThat(secret.hmacSha256Hex(body)).isEqualTo(documented);
    assertThat(secret.signs(body, documented)).isTrue();
    assertThat(secret.signs(body, documented.toUpperCase())).isTrue();
    assertThat(secret.signs(body, documented.replace('7', '8'))).isFalse();
    assertThat(secret.signs("Hello, World?".getBytes(StandardCharsets.UTF_8), documented)).isFalse();
    assertThat(secret.signs(body, null)).isFalse();
    assertThat(WebhookSecret.of("It's a secret to everybody").signs(body, documented)).isFalse();
  }

  @Test
  void matchesOnlyTheSameText() {
    WebhookSecret secret = WebhookSecret.of("s3cret");

    assertThat(secret.matches("s3cret")).isTrue();
    assertThat(secret.matches("s3cre")).isFalse();
    assertThat(secret.matches("s3cret ")).isFalse();
    assertThat(secret.matches("S3CRET")).isFalse();
    assertThat(secret.matches("")).isFalse();
    assertThat(secret.matches(null)).isFalse();
  }

  @Test
  void neverPrintsItself() {
    assertThat(WebhookSecret.of("s3cret").toString()).isEqualTo("WebhookSecret[***]");
    assertThatThrownBy(() -> WebhookSecret.of("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void randomSecretsAreUrlSafeAndDistinct() {
    String a = WebhookSecret.randomText();
    String b = WebhookSecret.randomText();

    assertThat(a).matches("[A-Za-z0-9_-]{27}").isNotEqualTo(b);
  }
}
