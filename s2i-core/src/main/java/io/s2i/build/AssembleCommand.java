package io.s2i.build;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The shell command of an assemble container: unpack the input tar read from stdin at the
 * destination, then run the script; with injections, truncate every injected file afterwards,
 * keeping the script's exit status.
 */
public final class AssembleCommand {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+-]+");

  private AssembleCommand() {}

  /** {@code tar -C <dest> -xf - && <script>}, plus truncation of {@code injectedFiles}. */
  public static String withInputs(String destination, String script, List<String> injectedFiles) {
    String command = "tar -C " + quote(destination) + " -xf - && " + quote(script);
    if (injectedFiles.isEmpty()) {
      return command;
    }
    StringBuilder sb = new StringBuilder(command).append("; s2i_status=$?; for f in");
    for (String f : injectedFiles) {
      sb.append(' ').append(quote(f));
    }
    sb.append("; do if [ -f \"$f\" ]; then : > \"$f\" || { echo \"s2i: could not truncate injected file $f\" >&2; exit 1; }; fi; done; exit $s2i_status");
    return sb.toString();
  }

  /** Single-quotes a word for sh when it holds anything beyond plain path characters. */
  static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
