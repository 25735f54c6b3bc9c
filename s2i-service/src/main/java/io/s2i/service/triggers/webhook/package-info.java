/**
 * Webhooks: one {@link io.s2i.service.triggers.webhook.WebhookProvider} per sender verifies a
 * request against the trigger's secrets and reads the pushed revision into a
 * {@link io.s2i.service.triggers.webhook.WebhookResult}. {@link
 * io.s2i.service.triggers.webhook.WebhookReceiver} is the one entry point the HTTP layer calls;
 * {@link io.s2i.service.triggers.webhook.WebhookUrls} builds and parses the URLs.
 *
 * <p>Unlike OpenShift, whose GitHub, GitLab and Bitbucket hooks trust a secret in the URL alone
 * (openshift/origin#14674), a push from GitHub or Bitbucket is accepted only with a valid
 * HMAC-SHA256 signature of its body and one from GitLab only with its token header; secrets are
 * compared in constant time and never appear in a result, a reason or a {@code toString()}.
 */
package io.s2i.service.triggers.webhook;
