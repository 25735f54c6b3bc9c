package io.s2i.api;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code run.volumes} entries, {@code SOURCE:TARGET[:OPTIONS]} as Docker writes binds: the
 * source is an absolute host path (it must exist: unlike {@code docker run -v}, s2i never creates
 * one) or the name of a volume of the engine (made for the build when it does not exist, and then
 * removed with it).
 */
public final class VolumeSpecs {
  /** Docker's rule for volume names. */
  private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

  private VolumeSpecs() {}

  /** What is wrong with {@code spec}, or null when its form is right. */
  public static String check(String spec) {
    String[] parts = spec.split(":", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || !parts[1].startsWith("/")) {
      return "run.volumes entry \"" + spec + "\" is not SOURCE:TARGET[:ro|rw] with an absolute TARGET";
    }
    if (!parts[0].startsWith("/") && !VOLUME_NAME.matcher(parts[0]).matches()) {
      return "run.volumes entry \"" + spec + "\" has a relative host path: give an absolute path, or a"
          + " volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)";
    }
    return null;
  }

  /** The host path a bind names, when it names one rather than a volume. */
  public static Optional<String> hostPath(String spec) {
    String source = spec.split(":", -1)[0];
    return source.startsWith("/") ? Optional.of(source) : Optional.empty();
  }

  /** The volume a bind names, when it names one rather than a host path. */
  public static Optional<String> volumeName(String spec) {
    String source = spec.split(":", -1)[0];
    return !source.startsWith("/") && VOLUME_NAME.matcher(source).matches() ? Optional.of(source) : Optional.empty();
  }
}
