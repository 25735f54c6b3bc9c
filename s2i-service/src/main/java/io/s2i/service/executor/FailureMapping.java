package io.s2i.service.executor;

import io.s2i.api.S2iException;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.BuildReasons;
import io.s2i.service.store.BuildOutcome;

/** How the library's failures become a build's phase and reason. */
public final class FailureMapping {
  private FailureMapping() {}

  /** The outcome for a failure; {@code pushing} tells a registry failure of the push from a pull's. */
  public static BuildOutcome of(S2iException e, boolean pushing) {
    String message = oneLine(e.getMessage()) + e.suggestion().map(s -> ". Fix: " + oneLine(s)).orElse("");
    return switch (e.reason()) {
      case INVALID_REQUEST -> outcome(BuildPhase.Error, BuildReasons.INVALID_REQUEST, message);
      case PULL_BUILDER_IMAGE_FAILED -> outcome(BuildPhase.Failed, BuildReasons.PULL_BUILDER_IMAGE_FAILED, message);
      case FETCH_SOURCE_FAILED -> outcome(BuildPhase.Failed, BuildReasons.FETCH_SOURCE_FAILED, message);
      case INSTALL_SCRIPTS_FAILED -> outcome(BuildPhase.Failed, BuildReasons.INSTALL_SCRIPTS_FAILED, message);
      case ASSEMBLE_FAILED -> outcome(BuildPhase.Failed, BuildReasons.ASSEMBLE_FAILED, message);
      case ENGINE_UNAVAILABLE -> outcome(BuildPhase.Error, BuildReasons.ENGINE_UNAVAILABLE, message);
      case REGISTRY_FAILED -> outcome(BuildPhase.Failed,
          pushing ? BuildReasons.PUSH_FAILED : BuildReasons.PULL_BUILDER_IMAGE_FAILED, message);
      case ASSEMBLE_USER_FORBIDDEN -> outcome(BuildPhase.Failed, BuildReasons.ASSEMBLE_USER_FORBIDDEN, message);
      case COMMIT_FAILED -> outcome(BuildPhase.Failed, BuildReasons.COMMIT_FAILED, message);
      case INTERRUPTED -> outcome(BuildPhase.Cancelled, BuildReasons.CANCELLED, "cancelled");
      default -> outcome(BuildPhase.Failed, BuildReasons.GENERIC, message);
    };
  }

  /** An outcome with only a phase, reason and message. */
  public static BuildOutcome outcome(BuildPhase phase, String reason, String message) {
    return new BuildOutcome(phase, reason, message, null, null, null, null, null);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').strip();
  }
}
