package io.s2i;

import io.s2i.api.CredentialSource;
import io.s2i.internal.registry.auth.CredentialResolver;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The usual {@link CredentialSource}s, for {@link S2i.Builder#credentials}. */
public final class Credentials {
  private Credentials() {}

  /**
   * Docker's configuration files, as the docker CLI reads them: {@code file} first (when given),
   * then {@code $DOCKER_CONFIG/config.json}, then {@code $HOME/.docker/config.json}. In each, the
   * registry's {@code credHelpers} entry, {@code credsStore} and {@code auths} are used, running
   * {@code docker-credential-NAME} programs found on {@code PATH}.
   *
   * @param environment the environment to read {@code DOCKER_CONFIG}, {@code HOME} and
   *     {@code PATH} from (usually {@link System#getenv()})
   */
  public static CredentialSource dockerConfig(Optional<Path> file, Map<String, String> environment) {
    return CredentialResolver.dockerConfig(file, environment);
  }

  /** {@link #dockerConfig(Optional, Map)} with no file of its own and this process's environment. */
  public static CredentialSource dockerConfig() {
    return dockerConfig(Optional.empty(), System.getenv());
  }

  /** No credentials: every pull and push is anonymous. */
  public static CredentialSource anonymous() {
    return CredentialSource.anonymous();
  }
}
