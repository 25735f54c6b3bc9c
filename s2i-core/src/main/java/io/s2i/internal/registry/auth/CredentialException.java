package io.s2i.internal.registry.auth;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;

/** Credentials named for a registry could not be read (for example, a helper program failed). */
public final class CredentialException extends S2iException {
  private static final long serialVersionUID = 1L;

  public CredentialException(String message, Throwable cause) {
    super(FailureReason.REGISTRY_FAILED, message,
        "check the credHelpers / credsStore entry and that its docker-credential-* program is on PATH", cause);
  }
}
