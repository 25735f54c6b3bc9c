package io.s2i.internal.registry.auth;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import io.s2i.api.CredentialSource;
import io.s2i.api.RegistryCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the credentials for an image's registry in Docker's configuration files, in order: the
 * file given with {@code --dockercfg-path}, {@code $DOCKER_CONFIG/config.json}, then
 * {@code ~/.docker/config.json}. Each file's {@code credHelpers} entry for the registry, its
 * {@code credsStore} and its {@code auths} are read as the docker CLI does, running
 * {@code docker-credential-NAME} programs for the helpers.
 *
 * <p>Reading and helper calls are jib-core's ({@code DockerConfigCredentialRetriever}); this class
 * only chooses the files and translates the result.
 */
public final class CredentialResolver implements CredentialSource {
  private final List<Path> configFiles;
  private final Map<String, String> environment;

  private CredentialResolver(List<Path> configFiles, Map<String, String> environment) {
    this.configFiles = List.copyOf(configFiles);
    this.environment = Map.copyOf(environment);
  }

  /** A resolver that never finds credentials: every pull and push is anonymous. */
  public static CredentialResolver none() {
    return new CredentialResolver(List.of(), Map.of());
  }

  /**
   * The docker CLI's files: {@code explicit} first (if given), then
   * {@code $DOCKER_CONFIG/config.json}, then {@code HOME/.docker/config.json}.
   *
   * @param environment the process environment ({@code DOCKER_CONFIG}, {@code HOME}, {@code PATH}
   *     for the helper programs)
   */
  public static CredentialResolver dockerConfig(Optional<Path> explicit, Map<String, String> environment) {
    List<Path> files = new ArrayList<>();
    explicit.ifPresent(files::add);
    String dockerConfig = environment.get("DOCKER_CONFIG");
    if (dockerConfig != null && !dockerConfig.isBlank()) {
      files.add(Path.of(dockerConfig, "config.json"));
    }
    String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
    if (home != null) {
      files.add(Path.of(home, ".docker", "config.json"));
    }
    return new CredentialResolver(files.stream().distinct().toList(), environment);
  }

  /** The files consulted, in order. */
  public List<Path> configFiles() {
    return configFiles;
  }

  @Override
  public String description() {
    return configFiles.toString();
  }

  /**
   * The credentials for {@code imageRef}'s registry from the first file that has some; empty for
   * anonymous access.
   *
   * @param diagnostics receives one line per problem met on the way (an unreadable file, a helper
   *     that failed), so the caller can show why credentials were not found
   * @throws CredentialException when a credential helper named for the registry fails
   */
  @Override
  public Optional<RegistryCredentials> forImage(String imageRef, Consumer<String> diagnostics)
      throws CredentialException {
    if (configFiles.isEmpty()) {
      return Optional.empty();
    }
    ImageReference reference;
    try {
      reference = io.s2i.internal.registry.JibReferences.of(imageRef);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the engine reports the bad reference itself
    }
    Consumer<LogEvent> log = event -> {
      if (event.getLevel() == LogEvent.Level.WARN || event.getLevel() == LogEvent.Level.ERROR) {
        diagnostics.accept(event.getMessage());
      }
    };
    CredentialRetrieverFactory factory = CredentialRetrieverFactory.forImage(reference, log, environment);
    for (Path file : configFiles) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      Optional<Credential> found;
      try {
        found = file.getFileName().toString().equals(".dockercfg")
            ? factory.legacyDockerConfig(file).retrieve()
            : factory.dockerConfig(file).retrieve();
      } catch (CredentialRetrievalException e) {
        throw new CredentialException("reading the credentials for " + reference.getRegistry()
            + " from " + file + " failed: " + oneLine(e), e);
      }
      if (found.isPresent()) {
        Credential c = found.get();
        return Optional.of(new RegistryCredentials(
            c.isOAuth2RefreshToken() ? RegistryCredentials.IDENTITY_TOKEN_USER : c.getUsername(),
            c.getPassword()));
      }
    }
    return Optional.empty();
  }

  private static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = e.getMessage() == null ? root.toString() : e.getMessage();
    if (root != e && root.getMessage() != null) {
      text += " (" + root.getMessage() + ")";
    }
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
  }
}
