package io.s2i.internal.image.layout;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the manifest for this machine from an image index (OCI) or manifest list (Docker), as
 * registries and OCI layouts hold multi-platform images.
 */
public final class Platforms {
  private Platforms() {}

  /** The platform builds run on: {@code linux} and the JVM's architecture in Go's spelling. */
  public static String[] host() {
    String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    return new String[] {"linux", switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      default -> arch;
    }};
  }

  /**
   * The digest of the manifest for {@code os}/{@code architecture} in {@code index} (its
   * {@code manifests} array): the first entry with that platform, or the only entry when it names
   * no platform (as single-image OCI layouts do).
   *
   * @throws IOException naming the platforms there are when none matches
   */
  public static String select(JsonNode index, String os, String architecture) throws IOException {
    JsonNode manifests = index.path("manifests");
    List<String> seen = new ArrayList<>();
    for (JsonNode m : manifests) {
      JsonNode p = m.path("platform");
      String mOs = p.path("os").asText("");
      String mArch = p.path("architecture").asText("");
      if (os.equals(mOs) && architecture.equals(mArch)) {
        return m.path("digest").asText();
      }
      if (!mOs.isEmpty()) {
        seen.add(mOs + "/" + mArch);
      }
    }
    if (manifests.size() == 1 && manifests.get(0).path("platform").isMissingNode()) {
      return manifests.get(0).path("digest").asText();
    }
    throw new IOException("the image has no manifest for " + os + "/" + architecture
        + (seen.isEmpty() ? "" : " (it has " + String.join(", ", seen) + ")"));
  }

  /** Whether a media type is that of an index or manifest list rather than one image's manifest. */
  public static boolean isIndex(String mediaType) {
    return "application/vnd.oci.image.index.v1+json".equals(mediaType)
        || "application/vnd.docker.distribution.manifest.list.v2+json".equals(mediaType);
  }
}
