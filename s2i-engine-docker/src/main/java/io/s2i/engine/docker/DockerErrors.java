package io.s2i.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.DockerException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns daemon and transport errors into the one-line messages users see. */
final class DockerErrors {
  // docker-java formats daemon errors as "Status 404: {"message":"..."}".
  private static final Pattern STATUS_PREFIX = Pattern.compile("^Status \\d+: ", Pattern.DOTALL);

  private DockerErrors() {}

  /** The daemon's own message from a docker-java exception, or the exception text otherwise. */
  static String message(Throwable e) {
    if (e instanceof DockerException de && de.getMessage() != null) {
      Matcher m = STATUS_PREFIX.matcher(de.getMessage());
      return daemonMessage(m.replaceFirst(""));
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return oneLine(text);
  }

  /** The {@code message} field of a daemon error body, or the body itself when it is not JSON. */
  static String daemonMessage(String body) {
    String trimmed = body.trim();
    if (trimmed.startsWith("{")) {
      try {
        JsonNode node = RawRequests.JSON.readTree(trimmed);
        if (node.hasNonNull("message")) {
          return oneLine(node.get("message").asText());
        }
      } catch (java.io.IOException notJson) {
        // fall through to the raw text
      }
    }
    return oneLine(trimmed);
  }

  /** Collapses line breaks so a message fits on one line. */
  static String oneLine(String text) {
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
  }
}
