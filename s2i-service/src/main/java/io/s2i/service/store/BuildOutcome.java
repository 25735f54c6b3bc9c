package io.s2i.service.store;

import io.s2i.service.model.Build;
import io.s2i.service.model.BuildInputs;
import io.s2i.service.model.BuildPhase;
import java.util.List;

/**
 * How a build ended, as its executor reports it.
 *
 * @param phase Complete, Failed, Error or Cancelled
 * @param reason the reason, for the last three
 * @param message one line
 * @param stages the stages and steps
 * @param revision the commit built, when known
 * @param imageId the image's id
 * @param imageDigest the pushed digest
 * @param logSnippet the last log lines, for failures
 * @param inputs the images (and detection) the build used, as far as it got
 */
public record BuildOutcome(BuildPhase phase, String reason, String message, List<Build.Stage> stages,
    Build.Revision revision, String imageId, String imageDigest, String logSnippet, BuildInputs inputs) {

  /** An outcome without recorded inputs. */
  public BuildOutcome(BuildPhase phase, String reason, String message, List<Build.Stage> stages,
      Build.Revision revision, String imageId, String imageDigest, String logSnippet) {
    this(phase, reason, message, stages, revision, imageId, imageDigest, logSnippet, null);
  }

  /** This outcome with the inputs recorded. */
  public BuildOutcome withInputs(BuildInputs newInputs) {
    return new BuildOutcome(phase, reason, message, stages, revision, imageId, imageDigest, logSnippet, newInputs);
  }
}
