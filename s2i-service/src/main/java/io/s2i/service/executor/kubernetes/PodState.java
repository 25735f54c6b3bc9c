package io.s2i.service.executor.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.BuildReasons;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a build's Job and pod are, in the build's terms: still pending, running, or ended with
 * OpenShift's phase and reason. The build container's exit status is s2i's (the CLI's documented
 * exit codes: 3 PullBuilderImageFailed, 4 FetchSourceFailed, 6 AssembleFailed, ...); what
 * Kubernetes did to the pod gives the errors: {@code OutOfMemoryKilled} (a container OOMKilled),
 * {@code BuildPodEvicted} (the node evicted the pod), {@code DeadlineExceeded} (the Job's
 * activeDeadlineSeconds ran out), {@code BuildPodDeleted} (the Job or pod was deleted by someone
 * else) and {@code CannotCreateBuildPod} (the image cannot be pulled, a Secret is missing, ...).
 *
 * @param stage what the build is doing
 * @param phase the build's phase once ended (Complete, Failed or Error)
 * @param reason its reason, for Failed and Error
 * @param message one line, for Failed and Error, or what a pending build waits for
 */
public record PodState(Stage stage, BuildPhase phase, String reason, String message) {
  /** Kubernetes' reasons an OOM-killed container or evicted pod carries. */
  public static final String OOM_KILLED = "OOMKilled";
  /** The reason the executor records when the Job or pod disappeared. */
  public static final String POD_DELETED = "BuildPodDeleted";
  /** OpenShift's reasons for what happened to the pod. */
  public static final String OUT_OF_MEMORY = "OutOfMemoryKilled";
  /** The node evicted the pod. */
  public static final String EVICTED = "BuildPodEvicted";
  /** The Job's deadline ran out. */
  public static final String DEADLINE = "DeadlineExceeded";
  /** The pod cannot be started. */
  public static final String CANNOT_CREATE = "CannotCreateBuildPod";

  private static final Set<String> FATAL_WAITING = Set.of("ImagePullBackOff", "InvalidImageName",
      "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  /** What the build is doing. */
  public enum Stage {
    /** The Job has no running pod yet (scheduling, pulling s2i's image). */
    PENDING,
    /** A container of the pod runs (fetching input or building). */
    RUNNING,
    /** The build has ended; see phase and reason. */
    ENDED
  }

  static PodState pending(String message) {
    return new PodState(Stage.PENDING, null, null, message);
  }

  static PodState running() {
    return new PodState(Stage.RUNNING, null, null, null);
  }

  static PodState ended(BuildPhase phase, String reason, String message) {
    return new PodState(Stage.ENDED, phase, reason, message);
  }

  /** Whether the build has ended. */
  public boolean ended() {
    return stage == Stage.ENDED;
  }

  /**
   * The state of a build from its Job and its pod.
   *
   * @param job the Job, or null when it is gone
   * @param pod the Job's pod, or null when there is none (yet, or any more)
   * @param podSeen whether a pod was seen before (a pod gone afterwards was deleted)
   */
  public static PodState of(Job job, Pod pod, boolean podSeen) {
    if (job == null) {
      return ended(BuildPhase.Error, POD_DELETED, "the build's Job was deleted while the build ran");
    }
    Optional<JobCondition> failed = condition(job, "Failed");
    if (failed.isPresent() && DEADLINE.equals(failed.get().getReason())) {
      return ended(BuildPhase.Error, DEADLINE, "the build ran longer than its deadline ("
          + job.getSpec().getActiveDeadlineSeconds() + " s, activeDeadlineSeconds) and was stopped");
    }
    if (pod != null) {
      Optional<PodState> fromPod = fromPod(pod);
      if (fromPod.isPresent()) {
        return fromPod.get();
      }
    }
    if (condition(job, "Complete").isPresent() || condition(job, "SuccessCriteriaMet").isPresent()) {
      return ended(BuildPhase.Complete, null, null);
    }
    if (failed.isPresent()) {
      return ended(BuildPhase.Error, failed.get().getReason() == null ? BuildReasons.GENERIC : failed.get().getReason(),
          oneLine(failed.get().getMessage(), "the build's Job failed"));
    }
    if (pod == null) {
      return podSeen ? ended(BuildPhase.Error, POD_DELETED, "the build's pod was deleted while the build ran")
          : pending("waiting for the Job's pod");
    }
    return pending("the build's pod is " + pod.getStatus().getPhase());
  }

  private static Optional<PodState> fromPod(Pod pod) {
    var status = pod.getStatus();
    if (status == null) {
      return Optional.of(pending("the build's pod has no status yet"));
    }
    if ("Evicted".equals(status.getReason())) {
      return Optional.of(ended(BuildPhase.Error, EVICTED, oneLine(status.getMessage(), "the node evicted the build's pod")));
    }
    List<ContainerStatus> init = status.getInitContainerStatuses() == null ? List.of() : status.getInitContainerStatuses();
    List<ContainerStatus> main = status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
    for (ContainerStatus c : init) {
      ContainerStateTerminated t = c.getState() == null ? null : c.getState().getTerminated();
      if (t != null && t.getExitCode() != null && t.getExitCode() != 0) {
        return Optional.of(fromExit(c.getName(), t, true));
      }
      Optional<PodState> waiting = waiting(c);
      if (waiting.isPresent()) {
        return waiting;
      }
    }
    for (ContainerStatus c : main) {
      ContainerStateTerminated t = c.getState() == null ? null : c.getState().getTerminated();
      if (t != null && t.getExitCode() != null) {
        return Optional.of(t.getExitCode() == 0 && !OOM_KILLED.equals(t.getReason())
            ? ended(BuildPhase.Complete, null, null) : fromExit(c.getName(), t, false));
      }
      Optional<PodState> waiting = waiting(c);
      if (waiting.isPresent()) {
        return waiting;
      }
    }
    boolean anyRunning = init.stream().anyMatch(c -> c.getState() != null && c.getState().getRunning() != null)
        || main.stream().anyMatch(c -> c.getState() != null && c.getState().getRunning() != null);
    if (anyRunning) {
      return Optional.of(running());
    }
    if ("Failed".equals(status.getPhase())) {
      return Optional.of(ended(BuildPhase.Error, status.getReason() == null ? BuildReasons.GENERIC : status.getReason(),
          oneLine(status.getMessage(), "the build's pod failed")));
    }
    if ("Succeeded".equals(status.getPhase())) {
      return Optional.of(ended(BuildPhase.Complete, null, null));
    }
    if ("Pending".equals(status.getPhase()) || status.getPhase() == null) {
      for (PodCondition c : status.getConditions() == null ? List.<PodCondition>of() : status.getConditions()) {
        if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
          return Optional.of(pending("waiting for a node: " + oneLine(c.getMessage(), c.getReason())));
        }
      }
      return Optional.of(pending("the build's pod is starting"));
    }
    return Optional.empty();
  }

  private static Optional<PodState> waiting(ContainerStatus c) {
    ContainerStateWaiting w = c.getState() == null ? null : c.getState().getWaiting();
    if (w != null && w.getReason() != null && FATAL_WAITING.contains(w.getReason())) {
      return Optional.of(ended(BuildPhase.Error, CANNOT_CREATE, "the build pod's container " + c.getName()
          + " cannot start: " + w.getReason() + (w.getMessage() == null ? "" : ": " + oneLine(w.getMessage(), ""))));
    }
    return Optional.empty();
  }

  private static PodState fromExit(String container, ContainerStateTerminated t, boolean init) {
    String detail = lastErrorLine(t.getMessage());
    if (OOM_KILLED.equals(t.getReason())) {
      return ended(BuildPhase.Error, OUT_OF_MEMORY, "the build pod's container " + container
          + " ran out of memory (its memory limit) and was killed");
    }
    int code = t.getExitCode();
    if (init) {
      return ended(BuildPhase.Failed, BuildReasons.FETCH_SOURCE_FAILED, detail != null ? detail
          : "fetching the binary input failed (" + container + " exited " + code + ")");
    }
    String reason = switch (code) {
      case 2 -> BuildReasons.INVALID_REQUEST;
      case 3 -> BuildReasons.PULL_BUILDER_IMAGE_FAILED;
      case 4 -> BuildReasons.FETCH_SOURCE_FAILED;
      case 5 -> BuildReasons.INSTALL_SCRIPTS_FAILED;
      case 6 -> BuildReasons.ASSEMBLE_FAILED;
      case 7 -> BuildReasons.ENGINE_UNAVAILABLE;
      case 8 -> BuildReasons.PUSH_FAILED;
      case 9 -> BuildReasons.ASSEMBLE_USER_FORBIDDEN;
      case 10 -> BuildReasons.COMMIT_FAILED;
      default -> BuildReasons.GENERIC;
    };
    BuildPhase phase = code == 2 || code == 7 || code >= 128 ? BuildPhase.Error : BuildPhase.Failed;
    String message = detail != null ? detail
        : code >= 128 ? "the build container was killed (signal " + (code - 128) + ")"
        : "the build container exited " + code;
    return ended(phase, reason, message);
  }

  /** The last {@code ERROR:} line of a termination message (the log's tail), without the prefix. */
  static String lastErrorLine(String message) {
    if (message == null) {
      return null;
    }
    String found = null;
    for (String line : message.split("\r?\n")) {
      int at = line.indexOf("ERROR: ");
      if (at >= 0) {
        found = line.substring(at + 7).strip();
      }
    }
    return found == null || found.isEmpty() ? null : found;
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  private static String oneLine(String s, String fallback) {
    return s == null || s.isBlank() ? fallback : s.replace('\n', ' ').strip();
  }
}
