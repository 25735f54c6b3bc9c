package io.s2i.service.triggers.webhook;

/**
 * One webhook sender's protocol: how it proves the secret, which events it sends and where the
 * pushed revision is in its payload. Implementations are stateless and thread-safe.
 */
public interface WebhookProvider {

  /** The type segment of the URLs this provider answers ({@code github}, {@code gitlab}, {@code bitbucket}, {@code generic}). */
  String urlType();

  /**
   * Verifies {@code request} against {@code trigger}'s secrets, then reads what it asks for. An
   * unverified request always gives {@link WebhookResult.Unauthorized}, whatever else is wrong
   * with it, so that nothing about the configuration leaks to a caller without the secret.
   */
  WebhookResult handle(WebhookRequest request, WebhookTrigger trigger);
}
