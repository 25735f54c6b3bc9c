package io.s2i.engine.oci;

import io.s2i.engine.EngineException;
import java.nio.file.Path;

/** A bind mount written as {@code host:container[:ro|rw]}, as Docker's {@code -v} takes it. */
record Binds(Path host, String container, boolean readOnly) {

  /** @throws EngineException naming the bad spec and what is wrong with it */
  static Binds parse(String spec) throws EngineException {
    String[] parts = spec.split(":", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw invalid(spec, "expected host:container[:ro|rw]");
    }
    if (parts[0].isEmpty()) {
      throw invalid(spec, "the host path is empty");
    }
    if (!parts[0].startsWith("/")) {
      // A relative path would land beside wherever s2i runs; a name would be a volume, which the
      // daemonless engine does not have.
      throw new EngineException(io.s2i.api.FailureReason.INVALID_REQUEST, "invalid bind mount \"" + spec
          + "\": the oci engine binds absolute host paths only", "give the host directory as an absolute path", null);
    }
    if (!parts[1].startsWith("/")) {
      throw invalid(spec, "the container path must be absolute");
    }
    boolean ro = false;
    if (parts.length == 3) {
      for (String option : parts[2].split(",", -1)) {
        switch (option) {
          case "ro" -> ro = true;
          case "rw", "z", "Z" -> { }
          default -> throw invalid(spec, "unknown option \"" + option + "\" (use ro or rw)");
        }
      }
    }
    return new Binds(Path.of(parts[0]).toAbsolutePath(), parts[1], ro);
  }

  private static EngineException invalid(String spec, String why) {
    return new EngineException("invalid bind mount \"" + spec + "\": " + why, null);
  }
}
