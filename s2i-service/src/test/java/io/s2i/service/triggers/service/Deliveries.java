package io.s2i.service.triggers.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook deliveries made as each provider makes them, from the documented payloads under
 * {@code io/s2i/service/triggers/webhook/} (see its README): the headers each sender sets and the
 * HMAC-SHA256 of the raw body computed here with the JDK, independently of the code under test.
 */
public final class Deliveries {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Deliveries() {}

  /** An answer. */
  public record Answer(int status, String body) {}

  /** A fixture's bytes, as published. */
  public static byte[] fixture(String name) {
    try (InputStream in = Deliveries.class.getResourceAsStream("/io/s2i/service/triggers/webhook/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture with {@code edit} applied, re-serialised as a sender would send the variant. */
  public static byte[] edited(String name, Consumer<ObjectNode> edit) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(fixture(name));
      edit.accept(node);
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * GitHub's push fixture for {@code ref} moving from {@code before} to {@code after}, with the
   * head commit's id, author and message set as GitHub fills them.
   */
  public static byte[] githubPush(String ref, String before, String after, String author, String message) {
    return edited("github/push.json", n -> {
      n.put("ref", ref);
      n.put("before", before);
      n.put("after", after);
      ObjectNode head = (ObjectNode) n.get("head_commit");
      head.put("id", after);
      head.put("message", message);
      ((ObjectNode) head.get("author")).put("name", author).put("email", author.toLowerCase() + "@example.com");
    });
  }

  /** HMAC-SHA256 of {@code body} keyed with {@code secret}, in hex. */
  public static String hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A request as GitHub sends it. */
  public static HttpRequest github(String url, String event, byte[] body, String secret, String delivery) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("User-Agent", "GitHub-Hookshot/044aadd")
        .header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", delivery)
        .header("X-GitHub-Hook-ID", "292430182")
        .header("X-Hub-Signature-256", "sha256=" + hmac(secret, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  /** A request as GitLab sends it. */
  public static HttpRequest gitlab(String url, byte[] body, String token, String idempotencyKey) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("User-Agent", "GitLab/17.4.0")
        .header("X-Gitlab-Event", "Push Hook")
        .header("X-Gitlab-Token", token)
        .header("X-Gitlab-Event-UUID", "13792a34-cac6-4fda-95a8-c58e00a3954e")
        .header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  /** A request as Bitbucket Cloud sends it ({@code repo:push}). */
  public static HttpRequest bitbucketCloud(String url, byte[] body, String secret, String requestUuid) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("User-Agent", "Bitbucket-Webhooks/2.0")
        .header("X-Event-Key", "repo:push")
        .header("X-Request-UUID", requestUuid)
        .header("X-Hub-Signature", "sha256=" + hmac(secret, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  /** A request as Bitbucket Server sends it ({@code repo:refs_changed}). */
  public static HttpRequest bitbucketServer(String url, byte[] body, String secret, String requestId) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json; charset=utf-8")
        .header("X-Event-Key", "repo:refs_changed")
        .header("X-Request-Id", requestId)
        .header("X-Hub-Signature", "sha256=" + hmac(secret, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  /** A generic webhook call as a CI job makes it: the secret in the URL, OpenShift's payload. */
  public static HttpRequest generic(String url, String contentType, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  /** Sends a request. */
  public static Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
