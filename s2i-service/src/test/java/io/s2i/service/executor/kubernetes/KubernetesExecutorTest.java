package io.s2i.service.executor.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.s2i.service.executor.BuildJob;
import io.s2i.service.executor.BuildReporter;
import io.s2i.service.executor.ExecutorContext;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.EnvEntry;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.RunPolicy;
import io.s2i.service.model.TriggerCause;
import io.s2i.service.store.BuildOutcome;
import io.s2i.service.store.Database;
import io.s2i.service.store.InputTokens;
import io.s2i.service.store.JdbcBuildStore;
import io.s2i.service.store.StoredBuild;
import io.s2i.testing.kube.MockCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubernetes executor's traffic against fabric8's mock API server in CRUD mode (no real
 * cluster can run on these machines), with {@link MockCluster}'s Job controller and a scripted
 * kubelet standing in for the nodes: the objects it makes and what is in them, the phases it reads
 * back, the pod's log copied once, cancel, and the clean-up of what builds leave. Every call the
 * executor and its janitor make in these tests is checked against the server's Role in
 * docs/kubernetes.md, so that the RBAC users apply allows what the executor does.
 */
class KubernetesExecutorTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  /** The executor's client sends this, so that its calls can be told from the mock controller's and kubelet's. */
  static final String AGENT = "s2i-kubernetes-executor-under-test";
  /** Every call the executor made in this class's tests, as "GROUP RESOURCE VERB" (RBAC's terms). */
  static final Set<String> CALLS = ConcurrentHashMap.newKeySet();
  @TempDir Path tmp;
  Database db;
  JdbcBuildStore store;
  InputTokens tokens;
  MockCluster cluster;
  volatile Script script = run -> { };
  final List<Object> seen = new CopyOnWriteArrayList<>();

  /** What the scripted kubelet does with a pod. */
  interface Script {
    void run(MockCluster.PodRun run) throws Exception;
  }

  /** A reporter that keeps what it is told. */
  static final class Recorder implements BuildReporter {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<String> steps = new CopyOnWriteArrayList<>();
    volatile boolean running;

    @Override
    public void running() {
      running = true;
    }

    @Override
    public void log(String line) {
      lines.add(line);
    }

    @Override
    public void stepStarted(String step) {}

    @Override
    public void stepFinished(String step, Duration duration, boolean succeeded) {
      steps.add(step + (succeeded ? "" : " (failed)"));
    }
  }

  @BeforeEach
  void start() {
    db = Database.embedded(tmp, 4);
    store = new JdbcBuildStore(db);
    tokens = new InputTokens(db.dataSource(), Clock.systemUTC());
    cluster = MockCluster.start(run -> script.run(run));
  }

  @AfterEach
  void stop() {
    cluster.requests(AGENT).forEach(q -> CALLS.add(rbacCall(q)));
    cluster.close();
    db.close();
  }

  static KubernetesSettings settings(String yaml) throws Exception {
    if (yaml.isEmpty()) {
      return KubernetesSettings.defaults();
    }
    Path f = Files.createTempFile("kube", ".yaml");
    try {
      Files.writeString(f, yaml);
      return KubernetesSettings.load(f);
    } finally {
      Files.delete(f);
    }
  }

  KubernetesExecutor executor(KubernetesSettings s) {
    KubernetesExecutor e = new KubernetesExecutor(cluster.newClient(AGENT), s, Clock.systemUTC());
    e.bind(context());
    return e;
  }

  /** What the server gives the executor: its URL, the input tokens and the builds' phases. */
  ExecutorContext context() {
    return new ExecutorContext() {
      @Override
      public String serverUrl() {
        return "http://127.0.0.1:8080";
      }

      @Override
      public InputTokens inputTokens() {
        return tokens;
      }

      @Override
      public Optional<BuildPhase> phase(long buildId) {
        return store.build(buildId).map(b -> b.build().phase());
      }
    };
  }

  StoredBuild queue(BuildConfig config, BuildOptions options) {
    store.putConfig(config);
    StoredBuild b = store.createBuild(config.name(), options, List.of(TriggerCause.manual()),
        config.source().type() == BuildConfig.SourceType.Binary ? tmp.resolve("upload").toString() : null,
        config.source().type() == BuildConfig.SourceType.Binary ? "replica-1" : null).orElseThrow();
    assertThat(store.claim("replica-1", 1, Duration.ofMinutes(5))).hasSize(1);
    return store.build(b.id()).orElseThrow();
  }

  static BuildConfig gitConfig(String name) {
    return new BuildConfig(name, new BuildConfig.Source(BuildConfig.SourceType.Git,
        new BuildConfig.Git("https://example.invalid/app.git", "main"), "web", null),
        new BuildConfig.Strategy(BuildConfig.StrategyType.Source, "127.0.0.1:5000/builders/ruby:3", null,
            List.of(new EnvEntry("GREETING", "hello", false)), true, null, null, null, null, null, null),
        new BuildConfig.Output("127.0.0.1:5000/apps/" + name + ":latest", true,
            new BuildConfig.Credentials("pusher", "s3cret-pass")),
        null, RunPolicy.Serial, null, null, null);
  }

  /** One container of the pod: running, its log lines a little apart, then ended with {@code exit}. */
  static void container(MockCluster.PodRun run, String name, boolean init, int exit, String reason, String message,
      List<String> lines) throws InterruptedException {
    String start = Instant.now().toString();
    run.container(new ContainerStatusBuilder().withName(name).withNewState().withNewRunning().withStartedAt(start)
        .endRunning().endState().build(), init);
    run.status(s -> {
      s.setPhase("Running");
      return s;
    });
    for (String l : lines) {
      run.log(name, l);
      Thread.sleep(40);
    }
    run.container(new ContainerStatusBuilder().withName(name).withNewState().withNewTerminated().withExitCode(exit)
        .withReason(reason).withMessage(message).withStartedAt(start).withFinishedAt(Instant.now().toString())
        .endTerminated().endState().build(), init);
  }

  static void podEnds(MockCluster.PodRun run, boolean ok) {
    run.status(s -> {
      s.setPhase(ok ? "Succeeded" : "Failed");
      return s;
    });
  }

  @Test
  void aGitBuildRunsAsAJobWithTheSettingsAndItsLogIsCopiedOnce() throws Exception {
    KubernetesExecutor executor = executor(settings("""
        namespace: builds
        image: localhost/s2i-java/s2i:test
        imagePullPolicy: Never
        instance: team-a
        serviceAccountName: s2i-builder
        resources:
          requests: {cpu: 500m, memory: 1Gi}
          limits: {memory: 2Gi}
        nodeSelector: {pool: builds}
        tolerations:
        - {key: dedicated, operator: Equal, value: builds, effect: NoSchedule}
        ttlSecondsAfterFinished: 600
        activeDeadlineSeconds: 900
        pollMillis: 100
        """));
    StoredBuild b = queue(gitConfig("app"), new BuildOptions(List.of(new EnvEntry("EXTRA", "1", false)), null, null,
        null, null));
    List<String> steps = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      steps.add("step " + i);
    }
    script = run -> {
      Thread.sleep(300);
      KubernetesClient c = run.client();
      seen.add(c.configMaps().inNamespace("builds").withName("s2i-app-1-build").get());
      seen.add(c.secrets().inNamespace("builds").withName("s2i-app-1-push").get());
      List<String> lines = new ArrayList<>(steps);
      lines.add(DIGEST);
      container(run, "sti-build", false, 0, "Completed", null, lines);
      podEnds(run, true);
    };
    Recorder r = new Recorder();
    BuildOutcome outcome = executor.run(new BuildJob(b, Optional.empty(), tmp), r);

    assertThat(outcome.phase()).as(r.lines.toString()).isEqualTo(BuildPhase.Complete);
    assertThat(outcome.imageDigest()).isEqualTo(DIGEST);
    assertThat(r.running).isTrue();
    assertThat(r.lines.stream().filter(l -> l.startsWith("step ")).toList()).as("each line once, in order").isEqualTo(steps);
    assertThat(r.lines.get(0)).isEqualTo("Running the build as Job builds/s2i-app-1 (localhost/s2i-java/s2i:test)");
    assertThat(r.steps).containsExactly("BuildPod");

    Job job = cluster.client().batch().v1().jobs().inNamespace("builds").withName("s2i-app-1").get();
    assertThat(job).as("a finished Job stays for its TTL").isNotNull();
    assertThat(job.getMetadata().getLabels()).containsEntry("s2i.io/instance", "team-a")
        .containsEntry("s2i.io/build-id", Long.toString(b.id())).containsEntry("app.kubernetes.io/managed-by", "s2i");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(900L);
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getServiceAccountName()).isEqualTo("s2i-builder");
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("pool", "builds"));
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(pod.getInitContainers()).isEmpty();
    Container c = pod.getContainers().get(0);
    assertThat(c.getName()).isEqualTo("sti-build");
    assertThat(c.getImage()).isEqualTo("localhost/s2i-java/s2i:test");
    assertThat(c.getImagePullPolicy()).isEqualTo("Never");
    assertThat(c.getArgs()).containsExactly("openshift-build");
    assertThat(c.getEnv().get(0).getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("s2i-app-1-build");
    assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
        .isEqualTo("PUSH_DOCKERCFG_PATH=/var/run/secrets/openshift.io/push"));
    assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("500m");
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("SYS_ADMIN");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getPrivileged()).isNull();
    assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath())
        .containsExactly("/tmp", "/run", "/tmp/build", "/var/cache/s2i", "/var/run/secrets/openshift.io/push");

    ConfigMap spec = (ConfigMap) seen.get(0);
    assertThat(spec.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(job.getMetadata().getUid()));
    JsonNode build = JSON.readTree(spec.getData().get("build.json"));
    assertThat(build.path("kind").asText()).isEqualTo("Build");
    assertThat(build.at("/spec/source/git/uri").asText()).isEqualTo("https://example.invalid/app.git");
    assertThat(build.at("/spec/source/git/ref").asText()).isEqualTo("main");
    assertThat(build.at("/spec/source/contextDir").asText()).isEqualTo("web");
    assertThat(build.at("/spec/strategy/sourceStrategy/from/name").asText()).isEqualTo("127.0.0.1:5000/builders/ruby:3");
    assertThat(build.at("/spec/strategy/sourceStrategy/env").toString())
        .isEqualTo("[{\"name\":\"GREETING\",\"value\":\"hello\"},{\"name\":\"EXTRA\",\"value\":\"1\"}]");
    assertThat(build.at("/spec/strategy/sourceStrategy/incremental").asBoolean()).isTrue();
    assertThat(build.at("/spec/output/to/name").asText()).isEqualTo("127.0.0.1:5000/apps/app:latest");
    assertThat(build.at("/spec/output/pushSecret/name").asText()).isEqualTo("s2i-app-1-push");
    assertThat(spec.getData().get("build.json")).doesNotContain("s3cret-pass");
    Secret push = (Secret) seen.get(1);
    assertThat(push.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
    String dockercfg = push.getStringData() != null ? push.getStringData().get(".dockerconfigjson")
        : new String(Base64.getDecoder().decode(push.getData().get(".dockerconfigjson")), StandardCharsets.UTF_8);
    assertThat(JSON.readTree(dockercfg).at("/auths/127.0.0.1:5000/auth").asText())
        .isEqualTo(Base64.getEncoder().encodeToString("pusher:s3cret-pass".getBytes(StandardCharsets.UTF_8)));

    assertThat(cluster.client().configMaps().inNamespace("builds").withName("s2i-app-1-build").get())
        .as("the spec goes when the build ends").isNull();
    assertThat(cluster.client().secrets().inNamespace("builds").withName("s2i-app-1-push").get())
        .as("the credentials go when the build ends").isNull();
    executor.close();
  }

  @Test
  void aBinaryBuildFetchesItsInputOnceWithTheTokenOfItsSecret() throws Exception {
    KubernetesExecutor executor = executor(settings("namespace: builds\npollMillis: 100\n"));
    BuildConfig config = new BuildConfig("bin", new BuildConfig.Source(BuildConfig.SourceType.Binary, null, null, null),
        new BuildConfig.Strategy(BuildConfig.StrategyType.Source, "127.0.0.1:5000/builders/java:17", null, null, null,
            null, null, null, null, null, null),
        new BuildConfig.Output("127.0.0.1:5000/apps/bin:latest", true, null), null, RunPolicy.Serial, null, null, null);
    StoredBuild b = queue(config, new BuildOptions(List.of(new EnvEntry("API_KEY", "k3y-value", true)), null, null, null,
        new BuildOptions.BinaryInput("dir", null, 120)));
    script = run -> {
      Secret input = run.client().secrets().inNamespace("builds").withName("s2i-bin-1-input").get();
      String token = input.getStringData() != null ? input.getStringData().get("token")
          : new String(Base64.getDecoder().decode(input.getData().get("token")), StandardCharsets.UTF_8);
      seen.add(tokens.consume(b.id(), token));
      seen.add(tokens.consume(b.id(), token));
      seen.add(run.client().secrets().inNamespace("builds").withName("s2i-bin-1-build").get());
      container(run, "fetch-input", true, 0, "Completed", null, List.of("Received the dir input (120 bytes)"));
      container(run, "sti-build", false, 0, "Completed", null, List.of("---> Installing application source", DIGEST));
      podEnds(run, true);
    };
    Recorder r = new Recorder();
    BuildOutcome outcome = executor.run(new BuildJob(b, Optional.empty(), tmp), r);
    assertThat(outcome.phase()).as(r.lines.toString()).isEqualTo(BuildPhase.Complete);
    assertThat(seen.subList(0, 2)).containsExactly(InputTokens.Use.GRANTED, InputTokens.Use.USED);
    assertThat(r.lines).containsSubsequence("Received the dir input (120 bytes)", "---> Installing application source");
    assertThat(r.steps).containsExactly("ReceiveBinary", "BuildPod");
    Job job = cluster.client().batch().v1().jobs().inNamespace("builds").withName("s2i-bin-1").get();
    Container fetch = job.getSpec().getTemplate().getSpec().getInitContainers().get(0);
    assertThat(fetch.getName()).isEqualTo("fetch-input");
    assertThat(fetch.getArgs()).containsExactly("fetch-input", "--from",
        "http://127.0.0.1:8080/executor/v1/builds/bin-1/input", "--token-file", "/var/run/secrets/s2i.io/input/token",
        "--kind", "dir", "--into", "/tmp/build/inputs");
    assertThat(fetch.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    // A build with a secret env value keeps its Build in a Secret, not a ConfigMap.
    Container build = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(build.getEnv().get(0).getValueFrom().getSecretKeyRef().getName()).isEqualTo("s2i-bin-1-build");
    Secret spec = (Secret) seen.get(2);
    String json = spec.getStringData() != null ? spec.getStringData().get("build.json")
        : new String(Base64.getDecoder().decode(spec.getData().get("build.json")), StandardCharsets.UTF_8);
    assertThat(JSON.readTree(json).at("/spec/source/git/uri").asText()).isEqualTo("file:///tmp/build/inputs");
    // s2i openshift-build gives API_KEY to assemble only, never to the image (OpenShiftBuildTest).
    assertThat(JSON.readTree(json).at("/metadata/annotations").path("s2i.io/build-only-env").asText()).isEqualTo("API_KEY");
    assertThat(cluster.client().configMaps().inNamespace("builds").list().getItems()).isEmpty();
    assertThat(cluster.client().secrets().inNamespace("builds").list().getItems()).as("input token and spec gone").isEmpty();
    executor.close();
  }

  @Test
  void aFailedFetchEndsTheBuildWithItsLogAndWithoutWaitingForTheBuildContainer() throws Exception {
    KubernetesExecutor executor = executor(settings("namespace: builds\npollMillis: 100\n"));
    BuildConfig config = new BuildConfig("nofetch", new BuildConfig.Source(BuildConfig.SourceType.Binary, null, null,
        null), gitConfig("nofetch").strategy(), new BuildConfig.Output("127.0.0.1:5000/apps/x:1", true, null), null,
        RunPolicy.Serial, null, null, null);
    StoredBuild b = queue(config, new BuildOptions(null, null, null, null, new BuildOptions.BinaryInput("dir", null, 9)));
    String refusal = "ERROR: fetching the build's input from http://127.0.0.1:8080/executor/v1/builds/nofetch-1/input"
        + " failed: HTTP 410 the input token of build nofetch-1 has been used: an input is served once";
    script = run -> {
      container(run, "fetch-input", true, 4, "Error", refusal + "\n", List.of(refusal));
      Thread.sleep(2000); // the kubelet records the pod's phase a little later
      podEnds(run, false);
    };
    Recorder r = new Recorder();
    long start = System.nanoTime();
    BuildOutcome o = executor.run(new BuildJob(b, Optional.empty(), tmp), r);
    assertThat(o.phase()).isEqualTo(BuildPhase.Failed);
    assertThat(o.reason()).isEqualTo("FetchSourceFailed");
    assertThat(o.message()).contains("HTTP 410");
    assertThat(r.lines).contains(refusal).noneMatch(l -> l.startsWith("WARNING"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    executor.close();
  }

  @Test
  void failuresOfTheBuildAndOfThePodAreItsPhaseAndReason() throws Exception {
    KubernetesExecutor executor = executor(settings("namespace: builds\npollMillis: 100\n"));
    script = run -> {
      container(run, "sti-build", false, 6, "Error", "---> Installing\nERROR: assemble failed: exit status 1\n",
          List.of("---> Installing", "ERROR: assemble failed: exit status 1"));
      podEnds(run, false);
    };
    BuildOutcome assemble = executor.run(new BuildJob(queue(gitConfig("fails"), BuildOptions.none()), Optional.empty(), tmp),
        new Recorder());
    assertThat(assemble.phase()).isEqualTo(BuildPhase.Failed);
    assertThat(assemble.reason()).isEqualTo("AssembleFailed");
    assertThat(assemble.message()).isEqualTo("assemble failed: exit status 1");

    script = run -> {
      container(run, "sti-build", false, 137, "OOMKilled", null, List.of("---> Installing"));
      podEnds(run, false);
    };
    BuildOutcome oom = executor.run(new BuildJob(queue(gitConfig("oom"), BuildOptions.none()), Optional.empty(), tmp),
        new Recorder());
    assertThat(oom.phase()).isEqualTo(BuildPhase.Error);
    assertThat(oom.reason()).isEqualTo("OutOfMemoryKilled");
    executor.close();

    // activeDeadlineSeconds: the Job controller stops the pod and fails the Job.
    KubernetesExecutor strict = executor(settings("namespace: builds\npollMillis: 100\nactiveDeadlineSeconds: 1\n"));
    script = run -> {
      run.container(new ContainerStatusBuilder().withName("sti-build").withNewState().withNewRunning().endRunning()
          .endState().build(), false);
      while (!run.deleted()) {
        Thread.sleep(50);
      }
    };
    Recorder r = new Recorder();
    BuildOutcome late = strict.run(new BuildJob(queue(gitConfig("late"), BuildOptions.none()), Optional.empty(), tmp), r);
    assertThat(late.phase()).isEqualTo(BuildPhase.Error);
    assertThat(late.reason()).isEqualTo("DeadlineExceeded");
    assertThat(r.lines).contains("ERROR: " + late.message());
    strict.close();
  }

  @Test
  void cancelDeletesTheJobWithThePropagationConfigured() throws Exception {
    KubernetesExecutor executor = executor(settings("namespace: builds\npollMillis: 100\ndeletePropagation: Foreground\n"));
    StoredBuild b = queue(gitConfig("cancel"), BuildOptions.none());
    CompletableFuture<Boolean> stopped = new CompletableFuture<>();
    script = run -> {
      run.container(new ContainerStatusBuilder().withName("sti-build").withNewState().withNewRunning().endRunning()
          .endState().build(), false);
      run.status(s -> {
        s.setPhase("Running");
        return s;
      });
      while (!run.deleted()) {
        run.log("sti-build", "working");
        Thread.sleep(100);
      }
      stopped.complete(true);
    };
    Recorder r = new Recorder();
    CompletableFuture<Object> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(executor.run(new BuildJob(b, Optional.empty(), tmp), r));
      } catch (Throwable e) {
        result.complete(e);
      }
    });
    t.start();
    for (int i = 0; i < 100 && !r.lines.contains("working"); i++) {
      Thread.sleep(100);
    }
    assertThat(r.running).isTrue();
    t.interrupt();
    assertThat(result.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(cluster.requests()).anySatisfy(q -> assertThat(q)
        .startsWith("DELETE /apis/batch/v1/namespaces/builds/jobs/s2i-cancel-1").contains("\"propagationPolicy\":\"Foreground\""));
    assertThat(cluster.client().batch().v1().jobs().inNamespace("builds").withName("s2i-cancel-1").get()).isNull();
    assertThat(cluster.client().configMaps().inNamespace("builds").list().getItems()).isEmpty();
    assertThat(stopped.get(10, TimeUnit.SECONDS)).as("the pod was stopped").isTrue();
    executor.close();
  }

  @Test
  void theJanitorDeletesWhatEndedOrDeletedBuildsLeftAndNothingElse() throws Exception {
    KubernetesSettings s = settings("namespace: builds\ninstance: team-a\nttlSecondsAfterFinished: 60\n");
    KubernetesExecutor executor = executor(s);
    StoredBuild running = queue(gitConfig("live"), BuildOptions.none());
    StoredBuild ended = queue(gitConfig("ended"), BuildOptions.none());
    store.finish(ended.id(), new BuildOutcome(BuildPhase.Failed, "AssembleFailed", "x", null, null, null, null, null),
        Instant.now());
    StoredBuild old = queue(gitConfig("old"), BuildOptions.none());
    store.finish(old.id(), new BuildOutcome(BuildPhase.Complete, null, null, null, null, null, null, null), Instant.now());
    KubernetesClient c = cluster.client();
    script = run -> {
      while (!run.deleted()) {
        Thread.sleep(50);
      }
    };
    c.batch().v1().jobs().inNamespace("builds").resource(job("s2i-live-1", "team-a", running.id(), null)).create();
    c.batch().v1().jobs().inNamespace("builds").resource(job("s2i-ended-1", "team-a", ended.id(), null)).create();
    c.batch().v1().jobs().inNamespace("builds").resource(job("s2i-old-1", "team-a", old.id(),
        Instant.now().minusSeconds(3600).toString())).create();
    c.batch().v1().jobs().inNamespace("builds").resource(job("s2i-gone-7", "team-a", 999_999, null)).create();
    c.batch().v1().jobs().inNamespace("builds").resource(job("s2i-other-1", "team-b", 999_999, null)).create();
    c.configMaps().inNamespace("builds").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("s2i-ended-1-build").withLabels(BuildObjects.labels(ended, s)).endMetadata().build())
        .create();
    Thread.sleep(300); // the mock Job controller settles the pods it made for them

    try (KubernetesClient janitorClient = cluster.newClient(AGENT)) {
      JobJanitor janitor = new JobJanitor(janitorClient, s, "builds", context(), Clock.systemUTC());
      assertThat(janitor.sweep()).containsExactlyInAnyOrder("Job/s2i-ended-1", "Job/s2i-old-1", "Job/s2i-gone-7",
          "ConfigMap/s2i-ended-1-build");
    }
    assertThat(c.batch().v1().jobs().inNamespace("builds").list().getItems()).extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("s2i-live-1", "s2i-other-1");
    assertThat(executor.cleanUpInterrupted(List.of(running))).containsExactly(
        "deleted Job builds/s2i-live-1 of the interrupted build");
    assertThat(c.batch().v1().jobs().inNamespace("builds").withName("s2i-live-1").get()).isNull();
    executor.close();
  }

  static Job job(String name, String instance, long buildId, String completedAt) {
    JobBuilder b = new JobBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of(BuildObjects.MANAGED_BY, BuildObjects.MANAGER, BuildObjects.INSTANCE, instance,
            BuildObjects.BUILD_ID, Long.toString(buildId)))
        .endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("sti-build")
        .withImage("x").endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec();
    if (completedAt != null) {
      b.withNewStatus().withCompletionTime(completedAt).withSucceeded(1).endStatus();
    }
    return b.build();
  }

  @Test
  void theSettingsFileIsCheckedKeyByKey() throws Exception {
    assertThatThrownBy(() -> settings("namespace: builds\nimagePulPolicy: Never\n"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("imagePulPolicy is not a setting");
    assertThatThrownBy(() -> settings("deletePropagation: Orphan\n"))
        .hasMessageContaining("deletePropagation Orphan is not Background or Foreground");
    assertThatThrownBy(() -> settings("resources:\n  limits: {memory: lots}\n"))
        .hasMessageContaining("resources.limits.memory lots is not a quantity");
    assertThatThrownBy(() -> settings("ttlSecondsAfterFinished: -1\n")).hasMessageContaining("must be positive");
    KubernetesSettings d = settings("");
    assertThat(d.image()).isEqualTo("localhost/s2i-java/s2i:latest");
    assertThat(d.securityContext().getCapabilities().getAdd()).containsExactly("SYS_ADMIN");
    assertThat(settings("securityContext: {privileged: true}\n").securityContext().getPrivileged()).isTrue();
    assertThat(d.deletePropagation()).isEqualTo("Background");
  }

  @Test
  void whatAnOpenShiftBuildCannotCarryIsRefusedBeforeAnyJob() throws Exception {
    KubernetesExecutor executor = executor(settings("namespace: builds\n"));
    BuildConfig docker = new BuildConfig("docker", gitConfig("docker").source(),
        new BuildConfig.Strategy(BuildConfig.StrategyType.Docker, null, null, null, null, null, null, null, null, null,
            null), gitConfig("docker").output(), null, RunPolicy.Serial, null, null, null);
    Recorder r = new Recorder();
    BuildOutcome o = executor.run(new BuildJob(queue(docker, BuildOptions.none()), Optional.empty(), tmp), r);
    assertThat(o.phase()).isEqualTo(BuildPhase.Error);
    assertThat(o.reason()).isEqualTo("InvalidBuildRequest");
    assertThat(o.message()).contains("Docker strategy").contains("Fix:");
    assertThat(cluster.client().batch().v1().jobs().inNamespace("builds").list().getItems()).isEmpty();
    executor.close();
  }

  /** {@code METHOD PATH [BODY]} as RBAC names it: "GROUP RESOURCE[/SUBRESOURCE] VERB" (the core group as "core"). */
  static String rbacCall(String request) {
    String[] parts = request.split(" ", 3);
    String method = parts[0];
    String path = parts[1];
    String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
    path = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String[] seg = path.substring(1).split("/");
    // /api/v1/namespaces/NS/RESOURCE[/NAME[/SUB]] or /apis/GROUP/VERSION/namespaces/NS/...
    int at = seg[0].equals("api") ? 2 : 3;
    String group = seg[0].equals("api") ? "core" : seg[1];
    assertThat(seg[at]).as(request + ": the executor keeps to its namespace").isEqualTo("namespaces");
    String resource = seg[at + 2];
    boolean named = seg.length > at + 3;
    if (seg.length > at + 4) {
      resource += "/" + seg[at + 4];
    }
    String verb = switch (method) {
      case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> throw new AssertionError("unexpected request " + request);
    };
    return group + " " + resource + " " + verb;
  }

  @AfterAll
  static void theDocumentedRoleAllowsEveryCallTheExecutorMade() throws Exception {
    io.fabric8.kubernetes.api.model.rbac.Role role = null;
    for (Object o : io.s2i.testing.kube.DocumentedManifests.read().manifests()) {
      if (o instanceof io.fabric8.kubernetes.api.model.rbac.Role r && r.getMetadata().getName().equals("s2i-server")) {
        role = r;
      }
    }
    assertThat(role).as("Role s2i-server in docs/kubernetes.md").isNotNull();
    // what the class's tests drive the executor through, so that this check cannot pass on nothing
    assertThat(CALLS).contains("batch jobs create", "batch jobs get", "batch jobs delete", "batch jobs list",
        "core pods list", "core pods/log get", "core configmaps create", "core secrets create", "core configmaps delete");
    Set<String> refused = new TreeSet<>();
    for (String call : CALLS) {
      String[] c = call.split(" ");
      String group = c[0].equals("core") ? "" : c[0];
      boolean allowed = role.getRules().stream().anyMatch(rule -> rule.getApiGroups().contains(group)
          && rule.getResources().contains(c[1]) && rule.getVerbs().contains(c[2]));
      if (!allowed) {
        refused.add(call);
      }
    }
    assertThat(refused).as("calls of the executor the documented Role does not allow (of " + new TreeSet<>(CALLS) + ")")
        .isEmpty();
  }
}
