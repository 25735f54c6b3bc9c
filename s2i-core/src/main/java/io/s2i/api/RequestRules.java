package io.s2i.api;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The rules the requests share, each worded once; messages name the request's fields. */
final class RequestRules {
  private RequestRules() {}

  /** Adds the violation of {@code callbackUrl} not being http(s), if it is not. */
  static void callbackUrl(Optional<URI> callbackUrl, List<String> violations) {
    callbackUrl.filter(u -> u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")))
        .ifPresent(u -> violations.add("callbackUrl must be an http:// or https:// URL, got \"" + u + "\""));
  }

  /** Adds the violation of {@code scripts.scriptsUrl} having an unknown scheme, if it has. */
  static void scriptsUrl(ScriptsSpec scripts, List<String> violations) {
    scripts.scriptsUrl().filter(u -> !u.matches("(?i)(image|file|https?)://.*")).ifPresent(u -> violations.add(
        "scripts.scriptsUrl \"" + u + "\" has an unknown scheme: use image://, file://, http:// or https://"));
  }
}
