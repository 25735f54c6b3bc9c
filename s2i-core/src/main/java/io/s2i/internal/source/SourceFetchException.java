package io.s2i.internal.source;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;

/** The source could not be found, read or fetched. */
public final class SourceFetchException extends S2iException {
  private static final long serialVersionUID = 1L;

  public SourceFetchException(String message, String suggestion) {
    super(FailureReason.FETCH_SOURCE_FAILED, message, suggestion);
  }

  public SourceFetchException(String message, String suggestion, Throwable cause) {
    super(FailureReason.FETCH_SOURCE_FAILED, message, suggestion, cause);
  }
}
