package io.s2i.engine.oci;

/** Image names as the cache's index keys them. */
final class ImageNames {
  private ImageNames() {}

  /** {@code name} with {@code :latest} added when it has neither tag nor digest. */
  static String normalise(String ref) {
    String r = ref.trim();
    if (r.contains("@")) {
      return r;
    }
    int slash = r.lastIndexOf('/');
    return r.indexOf(':', slash + 1) >= 0 ? r : r + ":latest";
  }
}
