package io.s2i.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A request to write a Dockerfile and its build context instead of building ({@code s2i build
 * --as-dockerfile}, {@code s2i generate}). The Dockerfile does what the build would: the builder's
 * assemble on the sources, an incremental stage, a runtime stage. The context ({@code upload/}) is
 * written beside the Dockerfile; a failure leaves neither behind.
 *
 * @param build the build the Dockerfile stands for; its {@code runtime} adds a runtime stage
 * @param dockerfilePath where the Dockerfile goes; a trailing {@code /} (or an existing
 *     directory) names its directory
 * @param withSource whether the source is fetched into the context; when false ({@code s2i
 *     generate}) {@code src/} stays empty and {@code build.source()} is not read
 */
public record DockerfileRequest(BuildRequest build, String dockerfilePath, boolean withSource) {

  /**
   * Checks every rule.
   *
   * @throws IllegalArgumentException naming every violation
   */
  public DockerfileRequest {
    List<String> violations = new ArrayList<>();
    if (build == null) {
      violations.add("build is missing: give the build the Dockerfile stands for");
    }
    if (dockerfilePath == null || dockerfilePath.isBlank()) {
      violations.add("dockerfilePath is empty: give the path of the Dockerfile to write");
    }
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid Dockerfile request: " + String.join("; ", violations));
    }
  }
}
