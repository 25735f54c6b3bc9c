package io.s2i.api;

import java.time.Duration;
import java.util.Optional;

/**
 * How long each phase of a build may run before it is stopped, its container removed and the
 * build failed ({@link FailureReason#TIMED_OUT}). A script that never exits, or that leaves a
 * process holding its output open, would otherwise hold the build forever. A zero or negative
 * duration means no limit.
 *
 * @param saveArtifacts the previous image's {@code save-artifacts}, through the hand-over of its tar
 *     (default 5 minutes: upstream gives up on a tar stream that stalls that long)
 * @param assemble {@code assemble}, {@code assemble-runtime} and {@code usage} (default 1 hour, the
 *     default time limit of a Tekton task)
 */
public record PhaseTimeouts(Duration saveArtifacts, Duration assemble) {
  /** The default limit of save-artifacts. */
  public static final Duration DEFAULT_SAVE_ARTIFACTS = Duration.ofMinutes(5);
  /** The default limit of assemble. */
  public static final Duration DEFAULT_ASSEMBLE = Duration.ofHours(1);

  public PhaseTimeouts {
    saveArtifacts = saveArtifacts == null ? DEFAULT_SAVE_ARTIFACTS : saveArtifacts;
    assemble = assemble == null ? DEFAULT_ASSEMBLE : assemble;
  }

  /** The defaults. */
  public static PhaseTimeouts defaults() {
    return new PhaseTimeouts(DEFAULT_SAVE_ARTIFACTS, DEFAULT_ASSEMBLE);
  }

  /** The limit of save-artifacts, when there is one. */
  public Optional<Duration> saveArtifactsLimit() {
    return limit(saveArtifacts);
  }

  /** The limit of assemble (and assemble-runtime, usage), when there is one. */
  public Optional<Duration> assembleLimit() {
    return limit(assemble);
  }

  private static Optional<Duration> limit(Duration d) {
    return d.isZero() || d.isNegative() ? Optional.empty() : Optional.of(d);
  }
}
