package io.s2i.service.triggers.image;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry's {@code WWW-Authenticate} challenge: {@code Basic realm="..."} or
 * {@code Bearer realm="...",service="...",scope="..."} (the distribution spec's token
 * authentication). Written here because the JDK's HTTP client does not parse challenges and jib's
 * parser is not part of its API.
 *
 * @param scheme {@code basic} or {@code bearer}, lower case
 * @param parameters the challenge's parameters, names lower case
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {
  private static final Pattern PARAMETER = Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,]*))");

  static Optional<AuthChallenge> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String text = header.trim();
    int space = text.indexOf(' ');
    String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> parameters = new LinkedHashMap<>();
    if (space > 0) {
      Matcher m = PARAMETER.matcher(text.substring(space + 1));
      while (m.find()) {
        String value = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
        parameters.put(m.group(1).toLowerCase(Locale.ROOT), value);
      }
    }
    return Optional.of(new AuthChallenge(scheme, Map.copyOf(parameters)));
  }

  Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name)).filter(v -> !v.isEmpty());
  }
}
