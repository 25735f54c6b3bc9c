package io.s2i.api;

/** Upstream's rules for a runtime artifact mapping (spec §7, preparation step 4). */
public final class RuntimeArtifactRules {
  private RuntimeArtifactRules() {}

  /** The problem with {@code m}, or null when it is valid. */
  public static String check(PathMapping m) {
    String prefix = "invalid runtime artifacts mapping: \"" + m.source() + "\" -> \"" + m.destination() + "\": ";
    if (!m.source().startsWith("/")) {
      return prefix + "source must be an absolute path";
    }
    if (m.destination().startsWith("/")) {
      return prefix + "destination must be a relative path";
    }
    if (m.destination().startsWith("..")) {
      return prefix + "destination cannot start with '..'";
    }
    return null;
  }
}
