package io.s2i.internal.build;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;

/** The builder image cannot unpack a tar stream itself: it lacks {@code /bin/sh} or {@code tar}. */
public final class MissingShellOrTarException extends S2iException {
  private static final long serialVersionUID = 1L;

  public MissingShellOrTarException(String message) {
    super(FailureReason.ASSEMBLE_FAILED, message, "the inputs are copied in by the engine instead");
  }
}
