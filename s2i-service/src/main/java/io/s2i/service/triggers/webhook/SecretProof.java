package io.s2i.service.triggers.webhook;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ways a request proves it knows a trigger's secret. Each check gives the refusal, or empty
 * when the proof holds. Every secret is tried (no early exit), and no refusal says more than which
 * proof failed.
 */
final class SecretProof {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private SecretProof() {}

  /** The refusal for a trigger without a secret: such a trigger accepts nothing. */
  static Optional<WebhookResult.Unauthorized> requireConfigured(WebhookTrigger trigger, Provider provider) {
    if (trigger.secrets().isEmpty()) {
      return Optional.of(new WebhookResult.Unauthorized("the " + provider.urlType()
          + " trigger of this configuration has no secret, so it accepts no webhook: set its secret"));
    }
    return Optional.empty();
  }

  /** The URL's secret, which must match when the route has one (and, when {@code required}, must be there). */
  static Optional<WebhookResult.Unauthorized> urlSecret(WebhookRequest request, WebhookTrigger trigger,
      boolean required) {
    if (request.urlSecret().isEmpty()) {
      return required
          ? Optional.of(new WebhookResult.Unauthorized("the webhook URL has no secret: use the URL with the trigger's secret"))
          : Optional.empty();
    }
    String given = request.urlSecret().get();
    boolean match = false;
    for (WebhookSecret secret : trigger.secrets()) {
      match |= secret.matches(given);
    }
    return match ? Optional.empty()
        : Optional.of(new WebhookResult.Unauthorized("the webhook did not accept the secret in its URL"));
  }

  /**
   * A header that carries the secret itself (GitLab's {@code X-Gitlab-Token}), compared in
   * constant time.
   */
  static Optional<WebhookResult.Unauthorized> token(WebhookRequest request, WebhookTrigger trigger,
      String header, String fix) {
    Optional<WebhookResult.Unauthorized> refusal = singleValue(request, header, fix);
    if (refusal.isPresent()) {
      return refusal;
    }
    String value = request.headers().all(header).get(0);
    boolean match = false;
    for (WebhookSecret secret : trigger.secrets()) {
      match |= secret.matches(value);
    }
    return match ? Optional.empty()
        : Optional.of(new WebhookResult.Unauthorized(header + " does not match the trigger's secret"));
  }

  /**
   * A header {@code sha256=HEX} holding the HMAC-SHA256 of the raw body keyed with the secret
   * (GitHub's {@code X-Hub-Signature-256}, Bitbucket's {@code X-Hub-Signature}).
   */
  static Optional<WebhookResult.Unauthorized> hmacSha256(WebhookRequest request, WebhookTrigger trigger,
      String header, String fix) {
    Optional<WebhookResult.Unauthorized> refusal = singleValue(request, header, fix);
    if (refusal.isPresent()) {
      return refusal;
    }
    String value = request.headers().all(header).get(0).trim();
    int eq = value.indexOf('=');
    String algorithm = eq < 0 ? "" : value.substring(0, eq);
    String hex = eq < 0 ? "" : value.substring(eq + 1);
    if (!algorithm.equalsIgnoreCase("sha256") || !SHA256_HEX.matcher(hex).matches()) {
      return Optional.of(new WebhookResult.Unauthorized(header + " must be sha256=<64 hex digits>"
          + (algorithm.isEmpty() || algorithm.equalsIgnoreCase("sha256") ? "" : ", not " + Json.oneLine(algorithm))));
    }
    boolean match = false;
    for (WebhookSecret secret : trigger.secrets()) {
      match |= secret.signs(request.body(), hex);
    }
    return match ? Optional.empty()
        : Optional.of(new WebhookResult.Unauthorized(header + " does not match the body: the hook's secret"
            + " is not the trigger's, or the body was changed on the way"));
  }

  /** The refusal when {@code header} is missing, blank or sent more than once (which value would count?). */
  private static Optional<WebhookResult.Unauthorized> singleValue(WebhookRequest request, String header, String fix) {
    List<String> values = request.headers().all(header);
    if (values.isEmpty() || values.get(0).isBlank()) {
      return Optional.of(new WebhookResult.Unauthorized(header + " is missing: " + fix));
    }
    if (values.size() > 1) {
      return Optional.of(new WebhookResult.Unauthorized("more than one " + header + " header"));
    }
    return Optional.empty();
  }

  /** The first refusal of several checks, in order. */
  @SafeVarargs
  static Optional<WebhookResult.Unauthorized> first(java.util.function.Supplier<Optional<WebhookResult.Unauthorized>>... checks) {
    for (var check : checks) {
      Optional<WebhookResult.Unauthorized> refusal = check.get();
      if (refusal.isPresent()) {
        return refusal;
      }
    }
    return Optional.empty();
  }
}
