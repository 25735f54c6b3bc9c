package io.s2i.service.triggers.webhook;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The webhook URLs of a build configuration, for {@code s2i describe}, the API and
 * {@code s2i start-build --from-webhook}.
 *
 * <p>s2i's form, {@code BASE/api/v1/webhooks/CONFIG/TYPE}, is the one shown. GitHub, GitLab and Bitbucket
 * prove the secret in a header (a signature of the body, or GitLab's token), so their URLs carry
 * no secret: a URL ends up in access logs, proxies and the sender's settings, where any repository
 * admin reads it (the complaint of openshift/origin#14674). Only the generic hook, whose senders
 * (CI jobs, {@code curl}) sign nothing, has the secret as its last segment:
 * {@code BASE/api/v1/webhooks/CONFIG/generic/SECRET}. A Bitbucket hook made without a secret may use that
 * form too.
 *
 * <p>OpenShift's form,
 * {@code BASE/apis/build.openshift.io/v1/namespaces/NS/buildconfigs/CONFIG/webhooks/SECRET/TYPE},
 * is accepted as well ({@link WebhookRoute#parse}), so hooks and scripts moved from OpenShift keep
 * working; through it too, GitHub, GitLab and Bitbucket requests must prove the secret in their
 * header, not only in the URL.
 */
public final class WebhookUrls {
  /** What {@link #describe} shows in place of the secret, as {@code oc describe} does. */
  public static final String SECRET_PLACEHOLDER = "<secret>";
  private final String base;

  /**
   * URLs under {@code base}, the service's external address such as
   * {@code https://s2i.example.com} (a path prefix is kept; a trailing slash is ignored).
   */
  public WebhookUrls(URI base) {
    String text = Objects.requireNonNull(base, "base").toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  /** Whether a sender of this URL type puts the secret in the URL (only the generic hook). */
  public static boolean secretInUrl(String urlType) {
    return urlType.equals("generic");
  }

  /**
   * The URL to give the sender: with {@code secretText} as its last segment for the generic hook,
   * without a secret for the others.
   *
   * @throws IllegalArgumentException for the generic hook without a secret
   */
  public URI url(String configuration, String urlType, Optional<String> secretText) {
    StringBuilder url = new StringBuilder(base).append(WebhookRoute.S2I_PREFIX)
        .append(segment(configuration)).append('/').append(segment(urlType));
    if (secretInUrl(urlType)) {
      url.append('/').append(segment(secretText.orElseThrow(
          () -> new IllegalArgumentException("the generic webhook's URL needs the trigger's secret"))));
    }
    return URI.create(url.toString());
  }

  /** The URL as {@code s2i describe} shows it: the generic hook's secret as {@value #SECRET_PLACEHOLDER}. */
  public String describe(String configuration, String urlType) {
    String url = base + WebhookRoute.S2I_PREFIX + segment(configuration) + "/" + segment(urlType);
    return secretInUrl(urlType) ? url + "/" + SECRET_PLACEHOLDER : url;
  }

  /** OpenShift's form of a configuration's webhook URL, for hooks moved from OpenShift. */
  public URI openShift(String namespace, String configuration, String urlType, String secretText) {
    return URI.create(base + WebhookRoute.OPENSHIFT_PREFIX + segment(namespace) + "/buildconfigs/"
        + segment(configuration) + "/webhooks/" + segment(secretText) + "/" + segment(urlType));
  }

  /** Percent-encodes a path segment: everything but letters, digits and {@code . - _ *}. */
  private static String segment(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("a webhook URL segment must not be empty");
    }
    // URLEncoder encodes for forms: its '+' for a space is a literal '+' in a path.
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
