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

  /**
   * As {@link #withInputs}, then removes the unpacked inputs so that the committed image does not
   * carry them, keeping the script's exit status. {@code remove} names the paths under the destination
   * to delete (not an uploaded {@code run} script: it is the image's command).
   */
  public static String withInputsRemovedAfter(String destination, String script, java.util.List<String> remove) {
    StringBuilder rm = new StringBuilder();
    String d = destination.endsWith("/") ? destination : destination + "/";
    for (String r : remove) {
      rm.append(' ').append(quote(d + r));
    }
    return withInputs(destination, script) + "; s2i_status=$?; rm -rf" + rm + "; exit $s2i_status";
  }

  /** Single-quotes a word for sh when it holds anything beyond plain path characters. */
  static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
