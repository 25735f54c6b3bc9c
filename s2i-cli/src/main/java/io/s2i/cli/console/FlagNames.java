package io.s2i.cli.console;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The library names a request's fields in its messages ({@code run.timeouts.assemble}); a CLI
 * user knows them as flags. Messages are shown with the flag in the field's place.
 */
public final class FlagNames {
  private static final Map<String, String> FLAGS = Map.of(
      "run.timeouts.assemble", "--assemble-timeout",
      "run.timeouts.saveArtifacts", "--save-artifacts-timeout",
      "run.capDrop", "--cap-drop",
      "run.network", "--network",
      "run.volumes", "--volume",
      "scripts.destination", "--destination",
      "source.keepSymlinks", "--keep-symlinks",
      "scripts.scriptsUrl", "--scripts-url");
  private static final Pattern FIELD = Pattern.compile(
      "\\b(run\\.timeouts\\.assemble|run\\.timeouts\\.saveArtifacts|run\\.capDrop|run\\.network|run\\.volumes"
          + "|scripts\\.destination|scripts\\.scriptsUrl|source\\.keepSymlinks)\\b");

  private FlagNames() {}

  /** {@code text} with each request field it names replaced by the flag that sets it. */
  public static String inFlags(String text) {
    if (text == null || text.indexOf('.') < 0) {
      return text;
    }
    Matcher m = FIELD.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(FLAGS.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }
}
