package io.s2i.service.triggers.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook trigger's secret. It can be compared with what a request carries, or key an
 * HMAC-SHA256, but never read back as text: {@link #toString()} hides it, so a secret that ends up
 * in a log line, a result or an exception message shows as {@code ***}.
 */
public final class WebhookSecret {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] value;

  private WebhookSecret(byte[] value) {
    this.value = value;
  }

  /**
   * A secret from its text (UTF-8), as the user configured it.
   *
   * @throws IllegalArgumentException when it is empty
   */
  public static WebhookSecret of(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("a webhook secret must not be empty");
    }
    return new WebhookSecret(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The text of a new random secret (160 bits, URL-safe base64 without padding), for a
   * configuration created without one: the service stores it and shows it to its owner.
   */
  public static String randomText() {
    byte[] random = new byte[20];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /**
   * Whether {@code candidate} is this secret, in time that does not depend on where they differ
   * or on their lengths (both sides are hashed to 32 bytes first).
   */
  public boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    byte[] a = sha256(value);
    byte[] b = sha256(candidate.getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(a, b);
  }

  /**
   * Whether {@code signatureHex} is the HMAC-SHA256 of {@code body} keyed with this secret, in
   * hex: the value GitHub ({@code X-Hub-Signature-256}) and Bitbucket ({@code X-Hub-Signature})
   * send after {@code sha256=}. Compared in constant time; case does not matter.
   */
  public boolean signs(byte[] body, String signatureHex) {
    if (signatureHex == null) {
      return false;
    }
    byte[] expected = hmacSha256Hex(body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signatureHex.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  /** The lower-case hex HMAC-SHA256 of {@code body} keyed with this secret (used to sign in tests and by {@code start-build --from-webhook}). */
  public String hmacSha256Hex(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(value, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSecret[***]";
  }
}
