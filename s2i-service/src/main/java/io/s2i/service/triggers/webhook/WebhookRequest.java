package io.s2i.service.triggers.webhook;

import java.util.Objects;
import java.util.Optional;

/**
 * One webhook request as the HTTP layer received it. The body is the raw bytes: signatures are
 * computed over them, never over re-encoded JSON.
 *
 * @param headers the request headers
 * @param body the raw body, already bounded by {@link WebhookBodyLimit} (not copied: do not change
 *     it afterwards)
 * @param urlSecret the secret written in the URL, when the route has one (always for the generic
 *     hook and OpenShift's URL form; optional for Bitbucket)
 */
public record WebhookRequest(Headers headers, byte[] body, Optional<String> urlSecret) {

  public WebhookRequest {
    Objects.requireNonNull(headers, "headers");
    body = body == null ? new byte[0] : body;
    urlSecret = Objects.requireNonNull(urlSecret, "urlSecret").filter(s -> !s.isEmpty());
  }

  /** A request without a secret in its URL. */
  public WebhookRequest(Headers headers, byte[] body) {
    this(headers, body, Optional.empty());
  }

  @Override
  public String toString() {
    return "WebhookRequest[headers=" + headers + ", body=" + body.length + " bytes, urlSecret="
        + (urlSecret.isPresent() ? "***" : "none") + "]";
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
