package io.s2i.engine.docker;

import java.util.Optional;

/**
 * An image reference split into repository and tag or digest, the way the Engine API wants them
 * in separate query parameters.
 *
 * @param repository the name without tag or digest, such as {@code registry:5000/ns/app}
 * @param tag the tag or digest ({@code sha256:...}), empty when the reference has neither
 */
record ImageReference(String repository, Optional<String> tag) {

  /**
   * Splits {@code ref}. A digest follows the last {@code @}; otherwise the tag follows the last
   * {@code :} that comes after the last {@code /} (an earlier colon is a registry port).
   */
  static ImageReference parse(String ref) {
    int at = ref.lastIndexOf('@');
    if (at >= 0) {
      return new ImageReference(ref.substring(0, at), Optional.of(ref.substring(at + 1)));
    }
    int colon = ref.lastIndexOf(':');
    if (colon > ref.lastIndexOf('/')) {
      return new ImageReference(ref.substring(0, colon), Optional.of(ref.substring(colon + 1)));
    }
    return new ImageReference(ref, Optional.empty());
  }

  /** The tag, or {@code latest} as the daemon assumes, so that a pull never fetches every tag. */
  String tagOrLatest() {
    return tag.orElse("latest");
  }
}
