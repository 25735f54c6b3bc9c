package io.s2i.cli.options;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.api.CredentialSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code --dockercfg-path}: the credentials file every command that pulls or pushes reads first. */
public final class Credentials {
  private Credentials() {}

  /**
   * The file {@code value} names, checked; empty when not given (then {@code $DOCKER_CONFIG} and
   * {@code ~/.docker} are read).
   */
  public static Optional<Path> dockercfgPath(String value) throws S2iException {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    Path p = Path.of(value);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "--dockercfg-path " + value
          + " is not a readable file; give the path of a Docker config.json", null);
    }
    return Optional.of(p.toAbsolutePath());
  }

  /** The credentials of {@code dockercfg} first, then of the environment's Docker config files. */
  public static CredentialSource source(Optional<Path> dockercfg) {
    return io.s2i.Credentials.dockerConfig(dockercfg, System.getenv());
  }
}
