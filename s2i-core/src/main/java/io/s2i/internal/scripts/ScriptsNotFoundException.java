package io.s2i.internal.scripts;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;

/** Required scripts were found in none of the places searched. */
public final class ScriptsNotFoundException extends S2iException {
  private static final long serialVersionUID = 1L;

  public ScriptsNotFoundException(String message, String suggestion) {
    super(FailureReason.INSTALL_SCRIPTS_FAILED, message, suggestion);
  }
}
