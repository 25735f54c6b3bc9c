package io.s2i.internal.build;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;

/** The previous image's artifacts could not be restored; the build goes on clean. */
public final class ArtifactsUnavailableException extends S2iException {
  private static final long serialVersionUID = 1L;

  public ArtifactsUnavailableException(String message, Throwable cause) {
    super(FailureReason.GENERIC, message, null, cause);
  }
}
