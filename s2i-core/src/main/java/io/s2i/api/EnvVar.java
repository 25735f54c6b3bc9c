package io.s2i.api;

/**
 * One environment variable. Parsed as upstream does: split at the first {@code =}, name and value
 * trimmed, the name must not be empty; the value may hold {@code =} and {@code ,}.
 *
 * <p>As upstream, a variable is given to the build's scripts and kept in the output image's
 * environment. A {@code buildOnly} one (a secret such as a token for a private package index) is
 * given to the scripts only: it is never written into an image's configuration, and a build that
 * could only pass it through a Dockerfile (layered builds, ONBUILD builders, {@code --as-dockerfile})
 * refuses it.
 *
 * @param name the variable's name
 * @param value its value
 * @param buildOnly whether the value stays out of every image
 */
public record EnvVar(String name, String value, boolean buildOnly) {

  /** A variable of the build and of the output image, as upstream's {@code -e}. */
  public EnvVar(String name, String value) {
    this(name, value, false);
  }

  /** A variable given to the build's scripts only, never kept in an image. */
  public static EnvVar buildOnly(String name, String value) {
    return new EnvVar(name, value, true);
  }

  public EnvVar {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("environment variable name must not be empty");
    }
    if (value == null) {
      value = "";
    }
  }

  /** Parses {@code NAME=VALUE}; throws with upstream's message when there is no name. */
  public static EnvVar parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0 || text.substring(0, eq).trim().isEmpty()) {
      throw new IllegalArgumentException(
          "invalid environment format \"" + text + "\", must be NAME=VALUE");
    }
    return new EnvVar(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
  }

  /**
   * Parses the lines of an environment file as upstream's {@code -E} reads it: lines trimmed;
   * empty, {@code #} and {@code //} lines skipped; lines without a name before {@code =} skipped;
   * a later duplicate replaces an earlier one. Unlike upstream (map order), the first-seen order
   * is kept, so builds are repeatable.
   */
  public static java.util.List<EnvVar> parseEnvironmentFile(java.util.List<String> lines) {
    java.util.Map<String, String> vars = new java.util.LinkedHashMap<>();
    for (String raw : lines) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("//")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0 || line.substring(0, eq).isBlank()) {
        continue;
      }
      vars.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
    }
    java.util.List<EnvVar> result = new java.util.ArrayList<>();
    vars.forEach((k, v) -> result.add(new EnvVar(k, v)));
    return result;
  }

  /** The {@code NAME=VALUE} form used by container configs. */
  public String toEntry() {
    return name + "=" + value;
  }
}
