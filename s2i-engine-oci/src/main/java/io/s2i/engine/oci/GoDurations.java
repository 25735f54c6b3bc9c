package io.s2i.engine.oci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's duration strings ({@code 30s}, {@code 1m30s}, {@code 500ms}), as Dockerfile flags take them. */
final class GoDurations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?)(ns|us|µs|ms|s|m|h)");

  private GoDurations() {}

  /** The duration in nanoseconds. */
  static long nanos(String text) throws DockerfileInstruction.SyntaxException {
    if (text.equals("0")) {
      return 0;
    }
    Matcher m = PART.matcher(text);
    int at = 0;
    double total = 0;
    while (at < text.length() && m.find(at) && m.start() == at) {
      double unit = switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      total += Double.parseDouble(m.group(1)) * unit;
      at = m.end();
    }
    if (at == 0 || at != text.length()) {
      throw new DockerfileInstruction.SyntaxException("invalid duration \"" + text + "\": use a Go duration such as 30s or 1m30s");
    }
    return Math.round(total);
  }
}
