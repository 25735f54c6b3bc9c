package io.s2i.service.executor.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.s2i.service.executor.BuildExecutor;
import io.s2i.service.executor.BuildJob;
import io.s2i.service.executor.BuildReporter;
import io.s2i.service.executor.ExecutorContext;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.BuildReasons;
import io.s2i.service.store.BuildOutcome;
import io.s2i.service.store.StoredBuild;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each build as a Kubernetes Job with s2i's image ({@code s2i serve --executor kubernetes}):
 * creates the build's spec, secrets and Job ({@link BuildObjects}), follows the Job and its pod
 * until the build ends ({@link PodState}) while copying the pod's log into the build's
 * ({@link PodLogFollower}), and deletes the Job when the build is cancelled. A finished Job stays
 * for {@code ttlSecondsAfterFinished} (for {@code kubectl logs}); the spec and secrets go at once.
 * {@link JobJanitor} clears up Jobs of builds that ended elsewhere or were deleted.
 */
public final class KubernetesExecutor implements BuildExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesExecutor.class);
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private final KubernetesClient client;
  private final KubernetesSettings settings;
  private final Clock clock;
  private final String namespace;
  private final ExecutorService logThreads;
  // Database work of build threads runs here: an interrupt (a cancel) must never hit a JDBC call.
  private final ExecutorService dbThread;
  private final ScheduledExecutorService janitorThread;
  private volatile ExecutorContext context;

  /** An executor on this client (which it closes) with these settings. */
  public KubernetesExecutor(KubernetesClient client, KubernetesSettings settings, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    String ns = settings.namespace() != null ? settings.namespace() : client.getNamespace();
    this.namespace = ns == null || ns.isBlank() ? "default" : ns;
    this.logThreads = Executors.newCachedThreadPool(daemon("s2i-kube-log"));
    this.dbThread = Executors.newSingleThreadExecutor(daemon("s2i-kube-db"));
    this.janitorThread = Executors.newSingleThreadScheduledExecutor(daemon("s2i-kube-janitor"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String name() {
    return "kubernetes";
  }

  /** The namespace builds run in. */
  public String namespace() {
    return namespace;
  }

  /** The settings. */
  public KubernetesSettings settings() {
    return settings;
  }

  @Override
  public void bind(ExecutorContext c) {
    this.context = c;
    JobJanitor janitor = new JobJanitor(client, settings, namespace, c, clock);
    janitorThread.scheduleWithFixedDelay(janitor::sweep, settings.janitorSeconds(), settings.janitorSeconds(),
        TimeUnit.SECONDS);
  }

  @Override
  public BuildOutcome run(BuildJob job, BuildReporter reporter) throws InterruptedException {
    StoredBuild b = job.build();
    Optional<String> unsupported = BuildDocument.unsupported(b.config());
    if (unsupported.isPresent()) {
      reporter.log("ERROR: " + unsupported.get());
      return outcome(BuildPhase.Error, BuildReasons.INVALID_REQUEST, unsupported.get());
    }
    ExecutorContext ctx = context;
    if (ctx == null) {
      throw new IllegalStateException("the kubernetes executor is not bound to a server");
    }
    boolean binary = b.config().source().type() == BuildConfig.SourceType.Binary;
    String serverUrl = settings.serverUrl() != null ? settings.serverUrl() : ctx.serverUrl();
    String token = binary ? onDbThread(() -> ctx.inputTokens().issue(b.id(),
        Duration.ofSeconds(settings.activeDeadlineSeconds()))) : null;
    BuildObjects objects = BuildObjects.of(b, settings, namespace, serverUrl, token);
    String jobName = objects.job().getMetadata().getName();
    reporter.log("Running the build as Job " + namespace + "/" + jobName + " (" + settings.image() + ")");
    Instant queuedAt = clock.instant();
    try {
      Job created = create(objects);
      Watcher watcher = new Watcher(b, created, reporter, binary);
      PodState end = watcher.await();
      return watcher.outcome(end, queuedAt);
    } catch (InterruptedException e) {
      delete(objects.job(), true);
      throw e;
    } catch (KubernetesClientException e) {
      if (Thread.currentThread().isInterrupted()) {
        delete(objects.job(), true);
        throw new InterruptedException("cancelled");
      }
      String message = "the Kubernetes API refused or failed: " + oneLine(e.getMessage());
      reporter.log("ERROR: " + message);
      delete(objects.job(), false);
      return outcome(BuildPhase.Error, PodState.CANNOT_CREATE, message);
    } finally {
      Thread.interrupted();
      deleteCompanions(objects);
    }
  }

  private Job create(BuildObjects objects) {
    for (HasMetadata o : objects.companions()) {
      client.resource(o).inNamespace(namespace).create();
    }
    Job job = client.batch().v1().jobs().inNamespace(namespace).resource(objects.job()).create();
    // The spec and secrets belong to the Job: the cluster deletes them with it (its TTL, or a user's
    // kubectl delete) even when this server is gone.
    OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
        .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid()).withBlockOwnerDeletion(false)
        .withController(false).build();
    for (HasMetadata o : objects.companions()) {
      try {
        client.resource(o).inNamespace(namespace).edit(m -> {
          m.getMetadata().setOwnerReferences(List.of(owner));
          return m;
        });
      } catch (KubernetesClientException e) {
        LOG.debug("setting the owner of {} failed: {}", o.getMetadata().getName(), e.getMessage());
      }
    }
    return job;
  }

  /** Follows one build's Job and pod to the end. */
  private final class Watcher {
    private final StoredBuild build;
    private final Job job;
    private final BuildReporter reporter;
    private final boolean binary;
    private volatile Pod pod;
    private boolean podSeen;
    private boolean runningReported;
    private String lastWaiting;
    private PodLogFollower follower;
    private Future<?> followerDone;
    private String digest;
    private Instant goneSince;

    Watcher(StoredBuild build, Job job, BuildReporter reporter, boolean binary) {
      this.build = build;
      this.job = job;
      this.reporter = reporter;
      this.binary = binary;
    }

    PodState await() throws InterruptedException {
      String name = job.getMetadata().getName();
      try {
        Instant giveUp = clock.instant().plusSeconds(settings.activeDeadlineSeconds() + 300);
        Instant apiFailingSince = null;
        while (true) {
          if (clock.instant().isAfter(giveUp)) {
            // The cluster should have ended it at its deadline; it did not say so.
            delete(job, false);
            return PodState.ended(BuildPhase.Error, PodState.DEADLINE, "the build did not end within its deadline ("
                + settings.activeDeadlineSeconds() + " s) and its Job was deleted");
          }
          Job j;
          Pod p;
          try {
            j = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
            p = newestPod(j);
            apiFailingSince = null;
          } catch (KubernetesClientException e) {
            if (Thread.currentThread().isInterrupted()) {
              throw new InterruptedException("cancelled");
            }
            // A restarting API server or a lost connection is waited out for a while.
            apiFailingSince = apiFailingSince == null ? clock.instant() : apiFailingSince;
            if (clock.instant().isAfter(apiFailingSince.plusSeconds(120))) {
              throw e;
            }
            Thread.sleep(settings.pollMillis());
            continue;
          }
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("cancelled");
          }
          if (p != null) {
            pod = p;
            podSeen = true;
            startFollowing();
          }
          PodState state = PodState.of(j, p, podSeen);
          if (state.ended() && PodState.POD_DELETED.equals(state.reason()) && j != null && goneSince == null) {
            // The Job controller deletes the pod of a Job that failed (its deadline) a moment
            // before or after it records why: give it a few polls to say so.
            goneSince = clock.instant();
          }
          if (goneSince != null && state.ended() && PodState.POD_DELETED.equals(state.reason()) && j != null
              && clock.instant().isBefore(goneSince.plusSeconds(5))) {
            Thread.sleep(settings.pollMillis());
            continue;
          }
          if (state.stage() == PodState.Stage.RUNNING && !runningReported) {
            runningReported = true;
            reporter.running();
          } else if (state.stage() == PodState.Stage.PENDING && state.message() != null
              && !state.message().equals(lastWaiting)) {
            lastWaiting = state.message();
            reporter.log("Waiting: " + state.message());
          }
          if (state.ended()) {
            if (p != null) {
              finishLog();
            }
            return state;
          }
          Thread.sleep(settings.pollMillis());
        }
      } finally {
        if (follower != null) {
          follower.close();
        }
      }
    }

    private Pod newestPod(Job j) {
      if (j == null) {
        return null;
      }
      List<Pod> pods = client.pods().inNamespace(namespace).withLabels(BuildObjects.labels(build, settings)).list()
          .getItems().stream()
          .filter(p -> p.getMetadata().getOwnerReferences() == null || p.getMetadata().getOwnerReferences().isEmpty()
              || p.getMetadata().getOwnerReferences().stream().anyMatch(o -> j.getMetadata().getUid().equals(o.getUid())))
          .toList();
      return pods.stream().max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())))
          .orElse(null);
    }

    private void startFollowing() {
      if (follower != null) {
        return;
      }
      List<String> containers = binary ? List.of(BuildObjects.FETCH_CONTAINER, BuildObjects.BUILD_CONTAINER)
          : List.of(BuildObjects.BUILD_CONTAINER);
      follower = new PodLogFollower(client, namespace, () -> pod, containers, line -> {
        if (line.container().equals(BuildObjects.BUILD_CONTAINER) && DIGEST.matcher(line.text().strip()).matches()) {
          digest = line.text().strip();
        }
        reporter.log(line.text());
      }, Duration.ofMillis(Math.min(500, settings.pollMillis())));
      followerDone = logThreads.submit(follower);
    }

    /** Waits (briefly) until the ended pod's log is copied. */
    private void finishLog() throws InterruptedException {
      if (followerDone == null) {
        return;
      }
      follower.podEnded();
      try {
        followerDone.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        reporter.log("WARNING: the rest of the build pod's log could not be read"
            + (follower.failure() == null ? "" : ": " + oneLine(follower.failure())));
      }
    }

    BuildOutcome outcome(PodState end, Instant queuedAt) {
      reportSteps();
      if (end.phase() == BuildPhase.Complete) {
        reporter.log("Successfully built " + build.config().output().image());
        return new BuildOutcome(BuildPhase.Complete, null, null, null, null, null, digest, null);
      }
      reporter.log("ERROR: " + end.message());
      return KubernetesExecutor.outcome(end.phase(), end.reason(), end.message());
    }

    /** The pod's containers as the build's steps: fetching input (FetchInputs), then the build. */
    private void reportSteps() {
      Pod p = pod;
      if (p == null || p.getStatus() == null) {
        return;
      }
      List<ContainerStatus> all = new ArrayList<>();
      Optional.ofNullable(p.getStatus().getInitContainerStatuses()).ifPresent(all::addAll);
      Optional.ofNullable(p.getStatus().getContainerStatuses()).ifPresent(all::addAll);
      for (ContainerStatus c : all) {
        ContainerStateTerminated t = c.getState() == null ? null : c.getState().getTerminated();
        if (t == null || t.getStartedAt() == null || t.getFinishedAt() == null) {
          continue;
        }
        try {
          Instant start = Instant.parse(t.getStartedAt());
          Instant finish = Instant.parse(t.getFinishedAt());
          String step = c.getName().equals(BuildObjects.FETCH_CONTAINER) ? "ReceiveBinary" : "BuildPod";
          reporter.stepStarted(step);
          reporter.stepFinished(step, Duration.between(start, finish).abs(), t.getExitCode() != null && t.getExitCode() == 0);
        } catch (java.time.format.DateTimeParseException e) {
          // a container status without times: no step
        }
      }
    }
  }

  private <T> T onDbThread(java.util.concurrent.Callable<T> work) throws InterruptedException {
    Future<T> f = dbThread.submit(work);
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Deletes a build's Job (with its pod, as the settings' propagation says). */
  private void delete(Job job, boolean cancelled) {
    try {
      client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName())
          .withPropagationPolicy(DeletionPropagation.valueOf(settings.deletePropagation().toUpperCase(java.util.Locale.ROOT)))
          .delete();
    } catch (KubernetesClientException e) {
      LOG.warn("deleting Job {}/{}{} failed: {}", namespace, job.getMetadata().getName(),
          cancelled ? " of a cancelled build" : "", e.getMessage());
    }
  }

  private void deleteCompanions(BuildObjects objects) {
    for (HasMetadata o : objects.companions()) {
      try {
        client.resource(o).inNamespace(namespace).delete();
      } catch (KubernetesClientException e) {
        LOG.debug("deleting {} failed (the janitor retries): {}", o.getMetadata().getName(), e.getMessage());
      }
    }
  }

  @Override
  public List<String> cleanUpInterrupted(List<StoredBuild> builds) {
    List<String> done = new ArrayList<>();
    for (StoredBuild b : builds) {
      Map<String, String> labels = Map.of(BuildObjects.MANAGED_BY, BuildObjects.MANAGER,
          BuildObjects.INSTANCE, settings.instance(), BuildObjects.BUILD_ID, Long.toString(b.id()));
      try {
        for (Job j : client.batch().v1().jobs().inNamespace(namespace).withLabels(labels).list().getItems()) {
          client.batch().v1().jobs().inNamespace(namespace).withName(j.getMetadata().getName())
              .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
          done.add("deleted Job " + namespace + "/" + j.getMetadata().getName() + " of the interrupted build");
        }
        client.configMaps().inNamespace(namespace).withLabels(labels).delete();
        client.secrets().inNamespace(namespace).withLabels(labels).delete();
      } catch (KubernetesClientException e) {
        done.add("could not delete the Job of " + b.build().name() + ": " + oneLine(e.getMessage()));
      }
    }
    return done;
  }

  static BuildOutcome outcome(BuildPhase phase, String reason, String message) {
    return new BuildOutcome(phase, reason, message, null, null, null, null, null);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').strip();
  }

  @Override
  public void close() {
    janitorThread.shutdownNow();
    logThreads.shutdownNow();
    dbThread.shutdownNow();
    client.close();
  }
}
