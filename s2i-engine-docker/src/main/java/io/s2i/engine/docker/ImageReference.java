package io.s2i.engine.docker;

import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.engine.EngineException;
import java.util.Optional;

/**
 * An image reference as the Engine API wants it, in separate query parameters: the repository
 * (with its registry) and the tag or digest. Read by {@link ImageRef}, s2i's one reference parser.
 *
 * @param repository the name without tag or digest, such as {@code registry:5000/ns/app}
 * @param tag the tag or digest ({@code sha256:...}), empty when the reference has neither
 */
record ImageReference(String repository, Optional<String> tag) {

  /**
   * Splits {@code ref}.
   *
   * @throws EngineException when {@code ref} is not an image reference
   */
  static ImageReference of(String ref) throws EngineException {
    ImageRef parsed;
    try {
      parsed = ImageRef.parse(ref);
    } catch (IllegalArgumentException e) {
      throw new EngineException(FailureReason.INVALID_REQUEST, e.getMessage(),
          "write the image as [registry/]name[:tag] or name@sha256:<digest>", e);
    }
    return new ImageReference(parsed.name(), parsed.digest().or(parsed::tag));
  }

  /** The tag, or {@code latest} as the daemon assumes, so that a pull never fetches every tag. */
  String tagOrLatest() {
    return tag.orElse("latest");
  }
}
