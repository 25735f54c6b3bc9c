package io.s2i.api;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the credentials for a registry come from, asked once per image a build pulls or pushes
 * (builder, runtime and previous images, the pushed output). {@code io.s2i.Credentials} makes the
 * usual ones (Docker's {@code config.json} files with their credential helpers); an embedder may
 * give its own, for example a build service that keeps a secret per build configuration.
 * Implementations must be thread-safe and must never log or print a secret.
 */
@FunctionalInterface
public interface CredentialSource {
  /**
   * The credentials for {@code imageRef}'s registry; empty for anonymous access.
   *
   * @param imageRef the image reference as the build names it ({@code host:5000/ns/name:tag})
   * @param diagnostics receives one line per problem met on the way (an unreadable file, a helper
   *     that failed), shown to the user at debug level; never a secret
   * @throws S2iException when credentials named for the registry cannot be read; the build then
   *     pulls anonymously and warns, or fails a push
   */
  Optional<RegistryCredentials> forImage(String imageRef, Consumer<String> diagnostics)
      throws S2iException;

  /** Where credentials are looked up, for messages (for example the files read); no secret. */
  default String description() {
    return getClass().getSimpleName();
  }

  /** No credentials: every pull and push is anonymous. */
  static CredentialSource anonymous() {
    return new CredentialSource() {
      @Override
      public Optional<RegistryCredentials> forImage(String imageRef, Consumer<String> diagnostics) {
        return Optional.empty();
      }

      @Override
      public String description() {
        return "no credential source";
      }
    };
  }
}
