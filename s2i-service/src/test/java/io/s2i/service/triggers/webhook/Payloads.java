package io.s2i.service.triggers.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Fixture payloads and requests made as each provider makes them, signed with a test secret. */
final class Payloads {
  static final String SECRET = "test-only-webhook-secret-7Qx";
  static final ObjectMapper JSON = new ObjectMapper();

  private Payloads() {}

  static byte[] fixture(String name) {
    try (InputStream in = Payloads.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture's JSON with {@code edit} applied, re-serialized (as a sender would send the variant). */
  static byte[] edited(String name, Consumer<ObjectNode> edit) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(fixture(name));
      edit.accept(node);
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** HMAC-SHA256 in hex, computed here with the JDK directly, independently of the code under test. */
  static String hmacHex(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static WebhookRequest github(String event, byte[] body, String secret, String delivery) {
    return new WebhookRequest(Headers.ofPairs(
        "Content-Type", "application/json",
        "User-Agent", "GitHub-Hookshot/044aadd",
        "X-GitHub-Event", event,
        "X-GitHub-Delivery", delivery,
        "X-GitHub-Hook-ID", "292430182",
        "X-Hub-Signature-256", "sha256=" + hmacHex(secret, body)), body);
  }

  static WebhookRequest gitlab(String event, byte[] body, String token, String idempotencyKey) {
    return new WebhookRequest(Headers.ofPairs(
        "Content-Type", "application/json",
        "User-Agent", "GitLab/17.4.0",
        "X-Gitlab-Event", event,
        "X-Gitlab-Token", token,
        "X-Gitlab-Event-UUID", "13792a34-cac6-4fda-95a8-c58e00a3954e",
        "Idempotency-Key", idempotencyKey,
        "X-Gitlab-Instance", "https://gitlab.example.com"), body);
  }

  static WebhookRequest bitbucketCloud(byte[] body, String secret, String requestUuid) {
    return new WebhookRequest(Headers.ofPairs(
        "Content-Type", "application/json",
        "User-Agent", "Bitbucket-Webhooks/2.0",
        "X-Event-Key", "repo:push",
        "X-Hook-UUID", "0a2e3f1c-6d7b-4b4e-9f43-2f3c1f6f9a10",
        "X-Request-UUID", requestUuid,
        "X-Attempt-Number", "1",
        "X-Hub-Signature", "sha256=" + hmacHex(secret, body)), body);
  }

  static WebhookRequest bitbucketServer(String eventKey, byte[] body, String secret, String requestId) {
    return new WebhookRequest(Headers.ofPairs(
        "Content-Type", "application/json; charset=utf-8",
        "X-Event-Key", eventKey,
        "X-Request-Id", requestId,
        "X-Hub-Signature", "sha256=" + hmacHex(secret, body)), body);
  }
}
