package io.s2i.service.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a build was made from beyond its source: the builder and runtime images as referenced and
 * the ids the engine had for them when the build ran, and, when the configuration asked for
 * detection, what was detected. An image-change trigger compares a configuration's next image
 * with these; {@code s2i describe} and the API show them.
 *
 * @param builderImage the builder image as the build referenced it (pinned by an image-change
 *     trigger: {@code name@sha256:...})
 * @param builderImageId the engine's id of that image when the build ran
 * @param runtimeImage the runtime image, for extended builds
 * @param runtimeImageId the engine's id of the runtime image
 * @param detected what detection found, for a configuration with {@code strategy.detect}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildInputs(String builderImage, String builderImageId, String runtimeImage, String runtimeImageId,
    Detected detected) {

  /**
   * The builder detection chose.
   *
   * @param builder the builder image
   * @param language the language it was chosen for
   * @param version the language version the source asked for, when it named one
   * @param marker the file that proved the language
   * @param reason why this builder won
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Detected(String builder, String language, String version, String marker, String reason) {}

  /** These inputs with the builder's id set. */
  public BuildInputs withIds(String builderId, String runtimeId) {
    return new BuildInputs(builderImage, builderId, runtimeImage, runtimeId, detected);
  }
}
