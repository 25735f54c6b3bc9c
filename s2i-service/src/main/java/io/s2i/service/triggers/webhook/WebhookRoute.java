package io.s2i.service.triggers.webhook;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A webhook request's path, parsed: which configuration, which sender type, and the secret when
 * the path holds one. Both URL forms of {@link WebhookUrls} are understood.
 *
 * @param namespace the namespace of OpenShift's form; empty for s2i's form
 * @param configuration the build configuration's name
 * @param type the sender type: {@code github}, {@code gitlab}, {@code bitbucket}, {@code generic}
 *     (not checked here: {@link WebhookReceiver#provider} says whether it is known)
 * @param secret the secret segment, when the path has one
 */
public record WebhookRoute(Optional<String> namespace, String configuration, String type, Optional<String> secret) {
  /** The prefix of OpenShift's form. */
  public static final String OPENSHIFT_PREFIX = "/apis/build.openshift.io/v1/namespaces/";
  /** The prefix of s2i's form: under the API, where the service asks webhooks for no bearer token. */
  public static final String S2I_PREFIX = "/api/v1/webhooks/";

  public WebhookRoute {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(configuration, "configuration");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(secret, "secret");
  }

  /**
   * Parses a raw (still percent-encoded) request path:
   * {@code /api/v1/webhooks/CONFIG/TYPE[/SECRET]} or
   * {@code /apis/build.openshift.io/v1/namespaces/NS/buildconfigs/CONFIG/webhooks/SECRET/TYPE}.
   * Each segment is decoded on its own, so a secret may hold an encoded {@code /}.
   *
   * @return empty when the path is neither form (answer 404)
   */
  public static Optional<WebhookRoute> parse(String rawPath) {
    if (rawPath == null) {
      return Optional.empty();
    }
    String path = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    try {
      if (path.startsWith(S2I_PREFIX)) {
        String[] s = path.substring(S2I_PREFIX.length()).split("/", -1);
        if (s.length < 2 || s.length > 3) {
          return Optional.empty();
        }
        return nonEmpty(new WebhookRoute(Optional.empty(), decode(s[0]), decode(s[1]),
            s.length == 3 ? Optional.of(decode(s[2])) : Optional.empty()));
      }
      if (path.startsWith(OPENSHIFT_PREFIX)) {
        String[] s = path.substring(OPENSHIFT_PREFIX.length()).split("/", -1);
        if (s.length != 6 || !s[1].equals("buildconfigs") || !s[3].equals("webhooks")) {
          return Optional.empty();
        }
        return nonEmpty(new WebhookRoute(Optional.of(decode(s[0])), decode(s[2]), decode(s[5]),
            Optional.of(decode(s[4]))));
      }
    } catch (IllegalArgumentException malformedEscape) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<WebhookRoute> nonEmpty(WebhookRoute route) {
    boolean empty = route.configuration.isEmpty() || route.type.isEmpty()
        || route.namespace.map(String::isEmpty).orElse(false) || route.secret.map(String::isEmpty).orElse(false);
    return empty ? Optional.empty() : Optional.of(route);
  }

  /** Percent-decodes one path segment (a {@code +} stays a {@code +}, as in paths). */
  private static String decode(String segment) {
    return URI.create("http://h/" + segment).getPath().substring(1);
  }

  @Override
  public String toString() {
    return "WebhookRoute[namespace=" + namespace.orElse("") + ", configuration=" + configuration + ", type=" + type
        + ", secret=" + (secret.isPresent() ? "***" : "none") + "]";
  }
}
