package io.s2i.engine;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;

/**
 * The container engine refused or failed an operation. Without a more specific reason it is
 * {@link FailureReason#ENGINE_FAILED}: an engine's own failure is never an "unexpected" one.
 */
public class EngineException extends S2iException {
  private static final long serialVersionUID = 1L;

  public EngineException(String message, Throwable cause) {
    super(FailureReason.ENGINE_FAILED, message, null, cause);
  }

  public EngineException(FailureReason reason, String message, String suggestion, Throwable cause) {
    super(reason, message, suggestion, cause);
  }
}
