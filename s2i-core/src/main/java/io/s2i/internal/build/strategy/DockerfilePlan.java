package io.s2i.internal.build.strategy;

import io.s2i.api.EnvVar;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@link DockerfileRenderer} writes, decided beforehand. Paths starting with
 * {@code upload/} are relative to the build context.
 *
 * @param builderImage the {@code FROM} of the assemble stage
 * @param labels labels of the output image (the base image's are inherited by {@code FROM})
 * @param env the build environment
 * @param assembleUser user assemble runs as; empty for root
 * @param imageUser the output image's {@code USER}: the base image's own
 * @param destination where sources and scripts go ({@code -d})
 * @param assembleCommand the assemble script's path in the image
 * @param runCommand the output's {@code Cmd}
 * @param injections injected paths: context path and container path
 * @param injectedFiles container paths of injected files, truncated after assemble
 * @param incremental the stage that saves artifacts from the previous image
 * @param runtime the stage that copies artifacts into a runtime image
 */
public record DockerfilePlan(
    String builderImage,
    Map<String, String> labels,
    List<EnvVar> env,
    String assembleUser,
    String imageUser,
    String destination,
    String assembleCommand,
    String runCommand,
    List<Injection> injections,
    List<String> injectedFiles,
    Optional<Incremental> incremental,
    Optional<Runtime> runtime) {

  /** An injected path: its copy in the context and where it appears during assemble. */
  public record Injection(String contextPath, String containerPath) {}

  /**
   * Saving artifacts from the previous image.
   *
   * @param previousImage the image built before
   * @param overrideScript context path of a save-artifacts script to use, if not the image's
   * @param saveArtifactsCommand the script's path in the previous image
   */
  public record Incremental(String previousImage, Optional<String> overrideScript, String saveArtifactsCommand) {}

  /**
   * The extended build's runtime stage.
   *
   * @param image the runtime image
   * @param artifacts absolute paths in the assemble stage and their directories under the runtime WORKDIR
   * @param scriptsContextDir context directory with external {@code assemble-runtime}/{@code run}, if any
   * @param assembleRuntimeUser user of assemble-runtime; empty for the image's
   * @param imageUser the runtime image's {@code USER}, when known
   * @param assembleRuntimeCommand the assemble-runtime script, relative to the WORKDIR when external
   * @param runCommand the output's {@code Cmd}
   */
  public record Runtime(String image, List<io.s2i.api.PathMapping> artifacts, Optional<String> scriptsContextDir,
      String assembleRuntimeUser, Optional<String> imageUser, String assembleRuntimeCommand, String runCommand) {}

  public DockerfilePlan {
    labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    env = List.copyOf(env);
    injections = List.copyOf(injections);
    injectedFiles = List.copyOf(injectedFiles);
  }
}
