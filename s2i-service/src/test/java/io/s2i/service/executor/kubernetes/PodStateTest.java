package io.s2i.service.executor.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.s2i.service.model.BuildPhase;
import org.junit.jupiter.api.Test;

/** How a build's Job and pod become its phase and reason. */
class PodStateTest {
  static final Job JOB = new JobBuilder().withNewMetadata().withName("s2i-app-1").withUid("u1").endMetadata()
      .withNewSpec().withActiveDeadlineSeconds(900L).endSpec().withNewStatus().withActive(1).endStatus().build();

  static Pod pod(String phase, ContainerStatus... main) {
    return new PodBuilder().withNewMetadata().withName("s2i-app-1-x").endMetadata()
        .withNewStatus().withPhase(phase).withContainerStatuses(main).endStatus().build();
  }

  static ContainerStatus terminated(String name, int exit, String reason, String message) {
    return new ContainerStatusBuilder().withName(name).withNewState().withNewTerminated().withExitCode(exit)
        .withReason(reason).withMessage(message).endTerminated().endState().build();
  }

  static ContainerStatus running(String name) {
    return new ContainerStatusBuilder().withName(name).withNewState().withNewRunning().endRunning().endState().build();
  }

  static ContainerStatus waiting(String name, String reason) {
    return new ContainerStatusBuilder().withName(name).withNewState().withNewWaiting().withReason(reason)
        .withMessage("Back-off pulling image \"127.0.0.1:1/s2i\"").endWaiting().endState().build();
  }

  @Test
  void pendingRunningAndComplete() {
    assertThat(PodState.of(JOB, null, false).stage()).isEqualTo(PodState.Stage.PENDING);
    assertThat(PodState.of(JOB, pod("Pending"), false).stage()).isEqualTo(PodState.Stage.PENDING);
    assertThat(PodState.of(JOB, pod("Running", running("sti-build")), true).stage()).isEqualTo(PodState.Stage.RUNNING);
    PodState done = PodState.of(JOB, pod("Succeeded", terminated("sti-build", 0, "Completed", null)), true);
    assertThat(done.phase()).isEqualTo(BuildPhase.Complete);
    Pod unschedulable = new PodBuilder(pod("Pending")).editStatus().addNewCondition().withType("PodScheduled")
        .withStatus("False").withReason("Unschedulable").withMessage("0/3 nodes are available: 3 node(s) didn't match"
            + " Pod's node affinity/selector.").endCondition().endStatus().build();
    PodState waitingForNode = PodState.of(JOB, unschedulable, true);
    assertThat(waitingForNode.stage()).isEqualTo(PodState.Stage.PENDING);
    assertThat(waitingForNode.message()).startsWith("waiting for a node: 0/3 nodes are available");
  }

  @Test
  void theBuildContainersExitCodeIsS2isReason() {
    PodState assemble = PodState.of(JOB, pod("Failed", terminated("sti-build", 6, "Error",
        "---> Installing\nERROR: assemble failed: exit status 1\n")), true);
    assertThat(assemble.phase()).isEqualTo(BuildPhase.Failed);
    assertThat(assemble.reason()).isEqualTo("AssembleFailed");
    assertThat(assemble.message()).isEqualTo("assemble failed: exit status 1");
    assertThat(PodState.of(JOB, pod("Failed", terminated("sti-build", 3, "Error", null)), true).reason())
        .isEqualTo("PullBuilderImageFailed");
    assertThat(PodState.of(JOB, pod("Failed", terminated("sti-build", 8, "Error", null)), true).reason())
        .isEqualTo("PushImageToRegistryFailed");
    PodState invalid = PodState.of(JOB, pod("Failed", terminated("sti-build", 2, "Error", "ERROR: BUILD is not set")), true);
    assertThat(invalid.phase()).isEqualTo(BuildPhase.Error);
    assertThat(invalid.reason()).isEqualTo("InvalidBuildRequest");
    PodState killed = PodState.of(JOB, pod("Failed", terminated("sti-build", 137, "Error", null)), true);
    assertThat(killed.phase()).isEqualTo(BuildPhase.Error);
    assertThat(killed.message()).contains("signal 9");
    Pod fetchFailed = new PodBuilder(pod("Failed")).editStatus().withInitContainerStatuses(terminated("fetch-input", 4,
        "Error", "ERROR: fetching the build's input failed: HTTP 410 the input token has been used")).endStatus().build();
    PodState fetch = PodState.of(JOB, fetchFailed, true);
    assertThat(fetch.phase()).isEqualTo(BuildPhase.Failed);
    assertThat(fetch.reason()).isEqualTo("FetchSourceFailed");
    assertThat(fetch.message()).contains("HTTP 410");
  }

  @Test
  void whatKubernetesDidToThePodIsAnError() {
    PodState oom = PodState.of(JOB, pod("Failed", terminated("sti-build", 137, "OOMKilled", null)), true);
    assertThat(oom.phase()).isEqualTo(BuildPhase.Error);
    assertThat(oom.reason()).isEqualTo("OutOfMemoryKilled");
    Pod evicted = new PodBuilder(pod("Failed")).editStatus().withReason("Evicted")
        .withMessage("The node was low on resource: memory.").endStatus().build();
    PodState ev = PodState.of(JOB, evicted, true);
    assertThat(ev.phase()).isEqualTo(BuildPhase.Error);
    assertThat(ev.reason()).isEqualTo("BuildPodEvicted");
    assertThat(ev.message()).isEqualTo("The node was low on resource: memory.");
    Job deadline = new JobBuilder(JOB).editStatus().withActive(0).addNewCondition().withType("Failed").withStatus("True")
        .withReason("DeadlineExceeded").endCondition().endStatus().build();
    PodState dl = PodState.of(deadline, null, true);
    assertThat(dl.phase()).isEqualTo(BuildPhase.Error);
    assertThat(dl.reason()).isEqualTo("DeadlineExceeded");
    assertThat(dl.message()).contains("900 s");
    PodState pull = PodState.of(JOB, pod("Pending", waiting("sti-build", "ImagePullBackOff")), true);
    assertThat(pull.phase()).isEqualTo(BuildPhase.Error);
    assertThat(pull.reason()).isEqualTo("CannotCreateBuildPod");
    assertThat(pull.message()).contains("ImagePullBackOff").contains("127.0.0.1:1/s2i");
    assertThat(PodState.of(JOB, pod("Pending", waiting("sti-build", "ErrImagePull")), true).ended())
        .as("a first pull failure is retried by the kubelet").isFalse();
    PodState jobGone = PodState.of(null, null, true);
    assertThat(jobGone.reason()).isEqualTo("BuildPodDeleted");
    PodState podGone = PodState.of(JOB, null, true);
    assertThat(podGone.phase()).isEqualTo(BuildPhase.Error);
    assertThat(podGone.reason()).isEqualTo("BuildPodDeleted");
  }
}
