package io.s2i.service.store;

import io.s2i.service.model.Build;
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
 */
public record BuildOutcome(BuildPhase phase, String reason, String message, List<Build.Stage> stages,
    Build.Revision revision, String imageId, String imageDigest, String logSnippet) {}
