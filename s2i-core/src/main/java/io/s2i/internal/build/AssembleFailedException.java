package io.s2i.internal.build;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;

/** A script in a build container exited non-zero; carries its real exit status. */
public final class AssembleFailedException extends S2iException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public AssembleFailedException(String message, int exitCode, String suggestion) {
    super(FailureReason.ASSEMBLE_FAILED, message, suggestion);
    this.exitCode = exitCode;
  }

  /** The script's exit status. */
  public int exitCode() {
    return exitCode;
  }
}
