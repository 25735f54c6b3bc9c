package io.s2i.api;

/**
 * Why a build failed. The names keep upstream's failure reasons where one exists; each carries
 * the process exit code the CLI documents (not upstream's reused error-category numbers).
 */
public enum FailureReason {
  INVALID_REQUEST(2),
  PULL_BUILDER_IMAGE_FAILED(3),
  FETCH_SOURCE_FAILED(4),
  INSTALL_SCRIPTS_FAILED(5),
  ASSEMBLE_FAILED(6),
  ENGINE_UNAVAILABLE(7),
  REGISTRY_FAILED(8),
  ASSEMBLE_USER_FORBIDDEN(9),
  COMMIT_FAILED(10),
  /** No language was detected, or no single builder image fits it ({@code s2i detect}, {@code --detect}). */
  DETECTION_FAILED(11),
  /**
   * The container engine refused or failed an operation of its own: creating, starting or
   * copying into a container, or inspecting, tagging, exporting or loading an image.
   */
  ENGINE_FAILED(12),
  INTERRUPTED(130),
  GENERIC(1);

  private final int exitCode;

  FailureReason(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The exit code of the {@code s2i} process for this reason. */
  public int exitCode() {
    return exitCode;
  }
}
