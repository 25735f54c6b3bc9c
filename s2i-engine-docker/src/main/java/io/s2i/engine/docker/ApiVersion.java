package io.s2i.engine.docker;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker Engine API version such as {@code 1.41}, and the rule for choosing the one to speak.
 *
 * @param major major number (always 1 so far)
 * @param minor minor number
 */
record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
  private static final Pattern FORMAT = Pattern.compile("v?(\\d+)\\.(\\d+)");

  /** Parses {@code 1.41} (a leading {@code v} is accepted); empty when it is not a version. */
  static Optional<ApiVersion> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
  }

  /**
   * The version to use: an explicit override wins; otherwise the lower of what the server speaks
   * and what the client library knows, because a daemon rejects versions newer than its own and
   * the library cannot speak versions newer than it knows. With no server version, the client's.
   */
  static ApiVersion negotiate(
      Optional<ApiVersion> override, Optional<ApiVersion> server, ApiVersion clientMax) {
    if (override.isPresent()) {
      return override.get();
    }
    return server.filter(s -> s.compareTo(clientMax) < 0).orElse(clientMax);
  }

  @Override
  public int compareTo(ApiVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  /** The path prefix of versioned requests, such as {@code /v1.41}. */
  String pathPrefix() {
    return "/v" + this;
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
