package io.s2i.internal.contract;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import java.util.Map;
import java.util.Optional;

/**
 * How an s2i-built image was made, read back from its labels ({@code s2i rebuild}): the builder,
 * the source with its context dir and commit, the scripts location and the presentation labels.
 *
 * @param builderImage {@code build.image}
 * @param sourceLocation {@code build.source-location}
 * @param contextDir {@code build.source-context-dir}
 * @param commitId {@code build.commit.id}
 * @param commitRef {@code build.commit.ref}
 * @param scriptsUrl {@code io.openshift.s2i.scripts-url}, else the deprecated {@code io.s2i.scripts-url}
 * @param displayName {@code io.k8s.display-name}
 * @param description {@code io.k8s.description}
 * @param runtimeImage the runtime image of an extended build ({@link S2iLabels#RUNTIME_IMAGE})
 * @param runtimeArtifacts its {@code --runtime-artifact} mappings, when given
 * @param assembleRuntimeUser its {@code --assemble-runtime-user}, when given
 */
public record BuildProvenance(
    String builderImage,
    String sourceLocation,
    Optional<String> contextDir,
    Optional<String> commitId,
    Optional<String> commitRef,
    Optional<String> scriptsUrl,
    Optional<String> displayName,
    Optional<String> description,
    Optional<String> runtimeImage,
    Optional<String> runtimeArtifacts,
    Optional<String> assembleRuntimeUser) {

  /** Reads the labels of {@code image}; the builder and source labels are required, as upstream. */
  public static BuildProvenance fromLabels(String image, Map<String, String> labels) throws S2iException {
    return new BuildProvenance(
        required(image, labels, S2iLabels.NAMESPACE + S2iLabels.BUILD_IMAGE),
        required(image, labels, S2iLabels.NAMESPACE + S2iLabels.BUILD_SOURCE_LOCATION),
        optional(labels, S2iLabels.NAMESPACE + S2iLabels.BUILD_SOURCE_CONTEXT_DIR),
        optional(labels, S2iLabels.NAMESPACE + S2iLabels.BUILD_COMMIT_ID),
        optional(labels, S2iLabels.NAMESPACE + S2iLabels.BUILD_COMMIT_REF),
        optional(labels, S2iLabels.SCRIPTS_URL).or(() -> optional(labels, S2iLabels.LEGACY_SCRIPTS_URL)),
        optional(labels, S2iLabels.DISPLAY_NAME),
        optional(labels, S2iLabels.DESCRIPTION),
        optional(labels, S2iLabels.RUNTIME_IMAGE),
        optional(labels, S2iLabels.RUNTIME_ARTIFACTS),
        optional(labels, S2iLabels.RUNTIME_USER));
  }

  /** The labels that record {@code runtime} on the output of an extended build. */
  public static Map<String, String> runtimeLabels(io.s2i.api.RuntimeImageSpec runtime) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    labels.put(S2iLabels.RUNTIME_IMAGE, runtime.image().toString());
    if (!runtime.artifacts().isEmpty()) {
      labels.put(S2iLabels.RUNTIME_ARTIFACTS, String.join(";", runtime.artifacts().stream()
          .map(m -> m.source() + ":" + m.destination()).toList()));
    }
    runtime.assembleRuntimeUser().ifPresent(u -> labels.put(S2iLabels.RUNTIME_USER, u));
    return labels;
  }

  private static String required(String image, Map<String, String> labels, String key) throws S2iException {
    return optional(labels, key).orElseThrow(() -> new S2iException(FailureReason.INVALID_REQUEST,
        "required label \"" + key + "\" not found in image " + image,
        "rebuild only images that s2i built (they carry the io.openshift.s2i.build.* labels)"));
  }

  private static Optional<String> optional(Map<String, String> labels, String key) {
    return Optional.ofNullable(labels.get(key)).filter(v -> !v.isEmpty());
  }
}
