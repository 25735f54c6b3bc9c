package io.s2i.api;

/**
 * One environment variable. Parsed as upstream does: split at the first {@code =}, name and value
 * trimmed, the name must not be empty; the value may hold {@code =} and {@code ,}.
 */
public record EnvVar(String name, String value) {

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

  /** The {@code NAME=VALUE} form used by container configs. */
  public String toEntry() {
    return name + "=" + value;
  }
}
