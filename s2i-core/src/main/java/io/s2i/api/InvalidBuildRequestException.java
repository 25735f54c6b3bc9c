package io.s2i.api;

import java.util.List;

/** A request whose fields contradict each other or the rules; lists every violation at once. */
public final class InvalidBuildRequestException extends S2iException {
  private static final long serialVersionUID = 1L;
  private final List<String> violations;

  public InvalidBuildRequestException(List<String> violations) {
    super(FailureReason.INVALID_REQUEST, String.join("; ", violations), null);
    this.violations = List.copyOf(violations);
  }

  /** Each rule that was broken, one sentence each. */
  public List<String> violations() {
    return violations;
  }
}
