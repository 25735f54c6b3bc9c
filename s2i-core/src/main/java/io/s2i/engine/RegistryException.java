package io.s2i.engine;

import io.s2i.api.FailureReason;

/** A registry refused a pull or push, or could not be reached. */
public class RegistryException extends EngineException {
  private static final long serialVersionUID = 1L;
  private final boolean transientFailure;

  public RegistryException(String message, String suggestion, boolean transientFailure, Throwable cause) {
    super(FailureReason.REGISTRY_FAILED, message, suggestion, cause);
    this.transientFailure = transientFailure;
  }

  /** Whether the failure may go away on retry (connection reset, 5xx), unlike a refused login. */
  public boolean transientFailure() {
    return transientFailure;
  }
}
