package io.s2i.api;

import java.util.Objects;

/**
 * A user name and secret for one registry. A secret is never printed: {@link #toString()} hides
 * it.
 *
 * @param username the user name; {@code <token>} means {@code secret} is an identity token, as in
 *     Docker's {@code config.json}
 * @param secret the password or token
 */
public record RegistryCredentials(String username, String secret) {
  /** The user name Docker's credential helpers use for identity (refresh) tokens. */
  public static final String IDENTITY_TOKEN_USER = "<token>";

  public RegistryCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(secret, "secret");
  }

  /** Whether {@link #secret()} is an identity token rather than a password. */
  public boolean isIdentityToken() {
    return IDENTITY_TOKEN_USER.equals(username);
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", secret=***]";
  }
}
