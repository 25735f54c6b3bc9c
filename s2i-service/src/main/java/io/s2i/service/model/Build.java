package io.s2i.service.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One run of a configuration, numbered per configuration ({@code app-7}), with OpenShift's phases
 * and reasons.
 *
 * @param name {@code config-number}
 * @param config the configuration's name
 * @param number the build's number within its configuration
 * @param phase where it stands
 * @param reason CamelCase reason for Failed, Error and Cancelled ({@link BuildReasons})
 * @param message one line saying what happened
 * @param cancelRequested whether a cancel was asked for
 * @param createdAt when it was queued
 * @param startedAt when it started running
 * @param completedAt when it ended
 * @param durationMs run time in milliseconds
 * @param stages stages and their steps, with timings
 * @param revision the source commit built
 * @param triggeredBy what started it
 * @param outputImage the image name it was built to
 * @param imageDigest the digest the registry stored, when pushed
 * @param imageId the image id in the engine
 * @param logSnippet the last lines of the log, for failed builds
 * @param options what start-build asked for beyond the configuration
 * @param executor the executor that ran it ({@code local}, later {@code kubernetes})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Build(
    String name,
    String config,
    long number,
    BuildPhase phase,
    String reason,
    String message,
    boolean cancelRequested,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt,
    Long durationMs,
    List<Stage> stages,
    Revision revision,
    List<TriggerCause> triggeredBy,
    String outputImage,
    String imageDigest,
    String imageId,
    String logSnippet,
    BuildOptions options,
    String executor) {

  /**
   * A stage (OpenShift's {@code FetchInputs}, {@code PullImages}, {@code Build}, {@code PushImage}).
   *
   * @param name the stage
   * @param startTime when its first step started
   * @param durationMs from its first step's start to its last step's end
   * @param steps the library's steps in it
   */
  public record Stage(String name, Instant startTime, long durationMs, List<Step> steps) {}

  /**
   * A step, as the library reports it (StepStarted/StepFinished).
   *
   * @param name the step
   * @param startTime when it started
   * @param durationMs how long it took
   * @param succeeded whether it succeeded
   */
  public record Step(String name, Instant startTime, long durationMs, boolean succeeded) {}

  /**
   * The source revision built.
   *
   * @param commit the commit id
   * @param ref the branch, or HEAD
   * @param author {@code Name <email>}
   * @param message the subject line
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Revision(String commit, String ref, String author, String message) {}

  /** The build's name for a configuration and number. */
  public static String nameOf(String config, long number) {
    return config + "-" + number;
  }
}
