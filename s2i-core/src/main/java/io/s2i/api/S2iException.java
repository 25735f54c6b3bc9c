package io.s2i.api;

import java.util.Optional;

/** A build problem the user can act on: a reason, a one-line message and, where known, the fix. */
public class S2iException extends Exception {
  private static final long serialVersionUID = 1L;
  private final FailureReason reason;
  private final String suggestion;

  public S2iException(FailureReason reason, String message, String suggestion) {
    this(reason, message, suggestion, null);
  }

  public S2iException(FailureReason reason, String message, String suggestion, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.suggestion = suggestion;
  }

  /** The failure category, which also fixes the CLI's exit code. */
  public FailureReason reason() {
    return reason;
  }

  /** What the user can do about it. */
  public Optional<String> suggestion() {
    return Optional.ofNullable(suggestion);
  }
}
