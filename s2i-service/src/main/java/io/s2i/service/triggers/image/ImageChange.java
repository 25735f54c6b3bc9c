package io.s2i.service.triggers.image;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A followed image now names something else: OpenShift's {@code imageChangeBuild{imageID,
 * fromRef}} cause, with the id it replaced.
 *
 * <p>Rebuild every configuration that follows {@link #image()} with the image pinned to
 * {@link #newId()} (for a registry digest, {@code name@sha256:...}), so that the build uses the
 * very image that was detected, and record {@code oldId} and {@code newId} on the build.
 *
 * @param image the reference as followed, such as {@code 127.0.0.1:5000/builders/java:17}
 * @param oldId what it named before; empty when the image did not exist then
 * @param newId what it names now: an engine image id, or a registry manifest digest
 * @param detectedAt when the change was seen
 */
public record ImageChange(String image, Optional<String> oldId, String newId, Instant detectedAt) {
  public ImageChange {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(oldId, "oldId");
    Objects.requireNonNull(newId, "newId");
    Objects.requireNonNull(detectedAt, "detectedAt");
  }
}
