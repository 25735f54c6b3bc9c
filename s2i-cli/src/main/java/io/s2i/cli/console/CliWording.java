package io.s2i.cli.console;

import io.s2i.api.BuildRequest;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words the library's messages for the command line. The library names what is wrong by the
 * request's fields ({@code scripts.scriptsUrl}, {@code source.contextDir}), as any client of it
 * would need; here they become the flags and arguments that set those fields
 * ({@code --scripts-url}, {@code --context-dir}), so the CLI's messages read as they always have.
 * Whole phrases are reworded first (where a flag is used unlike the field, as a switch for a
 * boolean), then field names standing as words of their own.
 */
public final class CliWording {
  private static final List<Map.Entry<String, String>> PHRASES = List.of(
      Map.entry(BuildRequest.NO_SOURCE, "no source given: pass a directory or git URL as the first argument"),
      Map.entry(BuildRequest.NO_BUILDER, "no builder image given: pass it as the second argument"),
      Map.entry("give source.location an existing directory or a git URL",
          "pass an existing directory or a git URL as the first argument"),
      Map.entry("turn outputOptions.reuseUnchanged off to build it again", "use --no-cache to build it again"),
      Map.entry("set source.forceCopy to build the directory as it is",
          "pass --copy to build the directory as it is"),
      Map.entry("give runtime.artifacts src[:dst] for each file", "pass -a/--runtime-artifact src[:dst] for each file"),
      Map.entry("set tag to the output image name", "give the output tag as the third argument"),
      Map.entry("check runtime.image and runtime.pullPolicy", "check the --runtime-image name and --runtime-pull-policy"),
      Map.entry("as a result of the run request", "as a result of the --run option"),
      Map.entry("push needs a registry image name", "--push needs a registry image name"));

  private static final Map<String, String> FIELDS = Map.ofEntries(
      Map.entry("scripts.scriptsUrl", "--scripts-url"),
      Map.entry("scripts.destination", "--destination"),
      Map.entry("callbackUrl", "--callback-url"),
      Map.entry("source.contextDir", "--context-dir"),
      Map.entry("source.ref", "--ref"),
      Map.entry("source.forceCopy", "--copy"),
      Map.entry("source.ignoreSubmodules", "--ignore-submodules"),
      Map.entry("source.excludePattern", "--exclude"),
      Map.entry("run.injections", "--inject"),
      Map.entry("run.assembleUser", "--assemble-user"),
      Map.entry("run.allowedUids", "--allowed-uids"),
      Map.entry("runtime.artifacts", "-a"),
      Map.entry("dockerfilePath", "--as-dockerfile"));

  // A field name only where it stands as a word: after a space or "(" (or at the start), before a
  // space, ")", ",", ";" or ":" (or at the end); inside a path or another word it is left alone.
  private static final Pattern FIELD = Pattern.compile("(?<![^\\s(])("
      + String.join("|", FIELDS.keySet().stream().map(Pattern::quote).toList()) + ")(?![^\\s),;:])");

  private CliWording() {}

  /** {@code message} as the CLI says it; text that names no field is returned as it is. */
  public static String reword(String message) {
    if (message == null) {
      return null;
    }
    String text = message;
    for (Map.Entry<String, String> p : PHRASES) {
      text = text.replace(p.getKey(), p.getValue());
    }
    Matcher m = FIELD.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(FIELDS.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }
}
