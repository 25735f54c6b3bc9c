package io.s2i.engine.docker;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.SELContext;
import com.github.dockerjava.api.model.Volume;
import io.s2i.engine.EngineException;

/** Parses bind mounts written as {@code host:container[:options]}. */
final class BindSpec {
  private BindSpec() {}

  /**
   * Parses one bind. Options are a comma-separated list of {@code ro}, {@code rw}, and the SELinux
   * relabel flags {@code z} and {@code Z}.
   *
   * @throws EngineException naming the bad spec and what is wrong with it
   */
  static Bind parse(String spec) throws EngineException {
    String[] parts = spec.split(":", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw invalid(spec, "expected host:container[:ro|rw]");
    }
    String host = parts[0];
    String container = parts[1];
    if (host.isEmpty()) {
      throw invalid(spec, "the host path is empty");
    }
    if (!container.startsWith("/")) {
      throw invalid(spec, "the container path must be absolute");
    }
    AccessMode mode = AccessMode.DEFAULT;
    SELContext selinux = SELContext.none;
    if (parts.length == 3) {
      for (String option : parts[2].split(",", -1)) {
        switch (option) {
          case "ro" -> mode = AccessMode.ro;
          case "rw" -> mode = AccessMode.rw;
          case "z" -> selinux = SELContext.shared;
          case "Z" -> selinux = SELContext.single;
          default -> throw invalid(spec, "unknown option \"" + option + "\" (use ro or rw)");
        }
      }
    }
    return new Bind(host, new Volume(container), mode, selinux);
  }

  private static EngineException invalid(String spec, String why) {
    return new EngineException("invalid bind mount \"" + spec + "\": " + why, null);
  }
}
