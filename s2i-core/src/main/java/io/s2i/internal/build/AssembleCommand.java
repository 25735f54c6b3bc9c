package io.s2i.internal.build;

import io.s2i.internal.contract.ContractPaths;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shell command of an assemble container: unpack the input tar read from stdin at the
 * destination, then run the script.
 */
public final class AssembleCommand {
  /** The name, in the pipes directory, of the copy of the image metadata file. */
  public static final String METADATA_COPY = "image_metadata.json";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+-]+");

  private AssembleCommand() {}

  /** {@code tar -C <dest> -xf - && <script>}, upstream's command for a build with inputs on stdin. */
  public static String withInputs(String destination, String script) {
    return withInputs(destination, script, Optional.empty());
  }

  /**
   * As {@link #withInputs(String, String)}; with {@code artifactsPipes}, the directory holding the
   * pipes of an {@code ArtifactsHandOver}, the artifacts are unpacked into {@code <dest>/artifacts}
   * from its {@code in} pipe beside the stdin tar, the script runs only once its {@code go} pipe
   * says {@code ok} (s2i's word that save-artifacts succeeded and every entry was accepted), and
   * the image metadata file the script may have written is copied there for s2i to read.
   */
  public static String withInputs(String destination, String script, Optional<String> artifactsPipes) {
    String run = unpackAndRun(destination, script, artifactsPipes);
    return artifactsPipes.isEmpty() ? run
        : run + "; s2i_status=$?; " + captureMetadata(artifactsPipes.get()) + "; exit $s2i_status";
  }

  /**
   * As {@link #withInputs(String, String, Optional)}, then removes the unpacked inputs so that the
   * committed image does not carry them, keeping the script's exit status. {@code remove} names the
   * paths under the destination to delete (not an uploaded {@code run} script: it is the image's
   * command).
   */
  public static String withInputsRemovedAfter(String destination, String script, java.util.List<String> remove,
      Optional<String> artifactsPipes) {
    StringBuilder rm = new StringBuilder();
    String d = destination.endsWith("/") ? destination : destination + "/";
    for (String r : remove) {
      rm.append(' ').append(quote(d + r));
    }
    return unpackAndRun(destination, script, artifactsPipes) + "; s2i_status=$?; "
        + artifactsPipes.map(p -> captureMetadata(p) + "; ").orElse("") + "rm -rf" + rm + "; exit $s2i_status";
  }

  private static String unpackAndRun(String destination, String script, Optional<String> artifactsPipes) {
    String unpack = "tar -C " + quote(destination) + " -xf -";
    if (artifactsPipes.isEmpty()) {
      return unpack + " && " + quote(script);
    }
    String pipes = artifactsPipes.get();
    String artifacts = quote((destination.endsWith("/") ? destination : destination + "/") + "artifacts");
    return "(mkdir -p -m 700 " + artifacts + " && tar -C " + artifacts + " -xf " + quote(pipes + "/in")
        + ") & s2i_artifacts=$!; " + unpack + " && wait $s2i_artifacts && read -r s2i_go < "
        + quote(pipes + "/go") + " && [ \"$s2i_go\" = ok ] && " + quote(script);
  }

  // Read through the engine after the container ended, the file would cost the image an empty
  // mount point: the engine makes one in the container's layer to serve the request.
  private static String captureMetadata(String pipes) {
    String file = ContractPaths.IMAGE_METADATA_FILE;
    return "[ ! -f " + quote(file) + " ] || cat " + quote(file) + " > " + quote(pipes + "/" + METADATA_COPY);
  }

  /** Single-quotes a word for sh when it holds anything beyond plain path characters. */
  public static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
