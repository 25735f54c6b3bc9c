package io.s2i.service.model;

/**
 * The reasons a build records, CamelCase as OpenShift and upstream s2i word them. Constants, not an
 * enum: other executors (Kubernetes) add their own, such as {@code OutOfMemoryKilled}.
 */
public final class BuildReasons {
  public static final String FETCH_SOURCE_FAILED = "FetchSourceFailed";
  public static final String PULL_BUILDER_IMAGE_FAILED = "PullBuilderImageFailed";
  public static final String INSTALL_SCRIPTS_FAILED = "InstallScriptsFailed";
  public static final String ASSEMBLE_FAILED = "AssembleFailed";
  public static final String ASSEMBLE_USER_FORBIDDEN = "AssembleUserNotAllowed";
  public static final String COMMIT_FAILED = "CommitContainerFailed";
  public static final String PUSH_FAILED = "PushImageToRegistryFailed";
  public static final String DOCKER_BUILD_FAILED = "DockerBuildFailed";
  public static final String INVALID_REQUEST = "InvalidBuildRequest";
  public static final String ENGINE_UNAVAILABLE = "EngineUnavailable";
  public static final String GENERIC = "GenericBuildFailed";
  public static final String CANCELLED = "CancelledBuild";
  public static final String DETECTION_UNAVAILABLE = "DetectionUnavailable";
  public static final String BINARY_INPUT_INVALID = "InvalidBinaryInput";
  /** The server running the build stopped (killed, crashed, restarted) before it ended. */
  public static final String INTERRUPTED = "BuildInterrupted";

  private BuildReasons() {}
}
