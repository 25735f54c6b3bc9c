package io.s2i.build;

import java.util.regex.Pattern;

/**
 * The shell command of an assemble container: unpack the input tar read from stdin at the
 * destination, then run the script.
 */
public final class AssembleCommand {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+-]+");

  private AssembleCommand() {}

  /** {@code tar -C <dest> -xf - && <script>}, upstream's command for a build with inputs on stdin. */
  public static String withInputs(String destination, String script) {
    return "tar -C " + quote(destination) + " -xf - && " + quote(script);
  }

  /** Single-quotes a word for sh when it holds anything beyond plain path characters. */
  static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
