package io.s2i.internal.image.layout;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An image named by a file, as skopeo and buildah name them: {@code docker-archive:FILE} (what
 * {@code docker save} writes) or {@code oci:DIR[:TAG]} (an OCI image layout; the path ends at the
 * first colon).
 */
public record ImageFileRef(Kind kind, Path path, Optional<String> tag) {
  private static final String ARCHIVE = "docker-archive:";
  private static final String LAYOUT = "oci:";

  /** The two file formats. */
  public enum Kind { DOCKER_ARCHIVE, OCI_LAYOUT }

  /** Whether {@code ref} names a file rather than an image in an engine or registry. */
  public static boolean names(String ref) {
    return ref.startsWith(ARCHIVE) || ref.startsWith(LAYOUT);
  }

  /** Parses a reference for which {@link #names} is true. */
  public static ImageFileRef parse(String ref) {
    if (ref.startsWith(ARCHIVE)) {
      return new ImageFileRef(Kind.DOCKER_ARCHIVE, Path.of(ref.substring(ARCHIVE.length())), Optional.empty());
    }
    if (!ref.startsWith(LAYOUT)) {
      throw new IllegalArgumentException(ref + " names no image file");
    }
    String rest = ref.substring(LAYOUT.length());
    int colon = rest.indexOf(':');
    return colon < 0 ? new ImageFileRef(Kind.OCI_LAYOUT, Path.of(rest), Optional.empty())
        : new ImageFileRef(Kind.OCI_LAYOUT, Path.of(rest.substring(0, colon)), Optional.of(rest.substring(colon + 1)));
  }
}
