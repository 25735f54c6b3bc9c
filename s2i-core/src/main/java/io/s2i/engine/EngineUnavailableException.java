package io.s2i.engine;

import io.s2i.api.FailureReason;

/** No container engine could be reached; the message lists every attempt. */
public final class EngineUnavailableException extends EngineException {
  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String message, String suggestion, Throwable cause) {
    super(FailureReason.ENGINE_UNAVAILABLE, message, suggestion, cause);
  }
}
