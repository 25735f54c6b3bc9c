package io.s2i.internal.registry;

import io.s2i.api.EventSink;
import io.s2i.api.RegistryCredentials;
import io.s2i.api.S2iException;
import io.s2i.api.CredentialSource;
import java.util.Optional;

/**
 * Credentials lookup for one build: asks the {@link CredentialSource} and reports, without ever
 * printing a secret, where credentials were or were not found.
 */
public final class RegistryAccess {
  private final CredentialSource resolver;
  private final EventSink events;

  public RegistryAccess(CredentialSource resolver, EventSink events) {
    this.resolver = resolver;
    this.events = events;
  }

  /** The credentials for {@code ref}'s registry, or empty for anonymous access. */
  public Optional<RegistryCredentials> credentialsFor(String ref) throws S2iException {
    Optional<RegistryCredentials> found = resolver.forImage(ref, line -> events.debug("credentials: " + line));
    events.debug(found.isPresent()
        ? "Using credentials of user " + found.get().username() + " for " + ref
        : "No credentials for " + ref + " in " + resolver.description() + "; accessing it anonymously");
    return found;
  }
}
