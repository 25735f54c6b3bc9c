package io.s2i.engine.oci;

import io.s2i.api.ImageRef;

/** Image names as the cache's index keys them. */
final class ImageNames {
  private ImageNames() {}

  /**
   * {@code name} with {@code :latest} added when it has neither tag nor digest, read by
   * {@link ImageRef}; text that is no image reference is kept as it is (it names nothing).
   */
  static String normalise(String ref) {
    String r = ref.trim();
    try {
      return ImageRef.parse(r).withDefaultTag();
    } catch (IllegalArgumentException notAReference) {
      return r;
    }
  }
}
