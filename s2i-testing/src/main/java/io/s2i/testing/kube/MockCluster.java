package io.s2i.testing.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in Kubernetes for tests, since no API server can run on these machines: fabric8's mock
 * API server in CRUD mode (it stores and serves objects, watches included, but runs nothing), plus
 * what a cluster does with a Job: a Job controller that makes the Job's pod and records its outcome
 * in the Job's status (with {@code activeDeadlineSeconds}), the garbage collector's part (a deleted
 * Job's pod goes), and a {@link Kubelet} that runs each pod (scripted in unit tests, in Docker for
 * the pod-spec tests) and whose container logs the API serves at {@code pods/NAME/log}. Every
 * request is recorded for assertions.
 */
public final class MockCluster implements AutoCloseable {
  private static final Pattern LOG_PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?");
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Kubelet kubelet;
  private final ExecutorService pods = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "mock-kubelet");
    t.setDaemon(true);
    return t;
  });
  private final Thread controller;
  private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
  private final Set<String> jobsSeen = ConcurrentHashMap.newKeySet();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> userAgents = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** Runs a pod: starts its containers, reports their states and logs, until they end or the pod is deleted. */
  @FunctionalInterface
  public interface Kubelet {
    /** Runs {@code run.pod()} to its end; returns when its containers have ended or it was deleted. */
    void run(PodRun run) throws Exception;
  }

  private MockCluster(Kubelet kubelet) {
    this.kubelet = kubelet;
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    Dispatcher inner = new KubernetesMixedDispatcher(responses);
    Dispatcher outer = new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        // getBytes() leaves the body for the CRUD dispatcher (reading it would consume it).
        String line = request.getMethod() + " " + request.getPath() + (request.getBody() == null ? ""
            : " " + new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8));
        synchronized (userAgents) {
          userAgents.add(String.valueOf(request.getHeader("User-Agent")));
          requests.add(line);
        }
        Matcher m = LOG_PATH.matcher(request.getPath());
        if (m.matches() && request.getMethod().equals("GET")) {
          return log(m.group(2), m.group(3) == null ? "" : m.group(3));
        }
        return inner.dispatch(request);
      }
    };
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, outer, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient(b -> b.withHttpClientFactory(new Http11()));
    controller = new Thread(this::control, "mock-job-controller");
    controller.setDaemon(true);
    controller.start();
  }

  /** Starts a cluster whose pods {@code kubelet} runs. */
  public static MockCluster start(Kubelet kubelet) {
    return new MockCluster(kubelet);
  }

  /** A client of the cluster. */
  public KubernetesClient client() {
    return client;
  }

  /** A new client of the cluster, for code that closes its client. */
  public KubernetesClient newClient() {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration())
        .withHttpClientFactory(new Http11()).build();
  }

  /** The API server's URL. */
  public String url() {
    return client.getMasterUrl().toString();
  }

  /** Every request so far, as {@code METHOD PATH [BODY]}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** The requests of clients sending {@code userAgent} (see {@link #newClient(String)}), as {@code METHOD PATH [BODY]}. */
  public List<String> requests(String userAgent) {
    List<String> out = new java.util.ArrayList<>();
    synchronized (userAgents) {
      for (int i = 0; i < userAgents.size(); i++) {
        if (userAgents.get(i).equals(userAgent)) {
          out.add(requests.get(i));
        }
      }
    }
    return out;
  }

  /** A new client sending {@code userAgent}, so that its requests can be told from the controller's and kubelet's. */
  public KubernetesClient newClient(String userAgent) {
    io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
        .withUserAgent(userAgent).build();
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config)
        .withHttpClientFactory(new Http11()).build();
  }

  /** Writes a kubeconfig for processes (KUBECONFIG) with {@code namespace} as the default. */
  public Path writeKubeconfig(Path file, String namespace) throws IOException {
    String url = url().endsWith("/") ? url().substring(0, url().length() - 1) : url();
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
        users:
        - name: tester
          user:
            token: mock-token
        contexts:
        - name: mock
          context:
            cluster: mock
            user: tester
            namespace: %s
        current-context: mock
        """.formatted(url, namespace));
    return file;
  }

  private MockResponse log(String pod, String query) {
    PodRun run = runs.get(pod);
    if (run == null) {
      return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"code\":404,\"message\":\"pods \\\""
          + pod + "\\\" not found\"}");
    }
    Map<String, String> q = new LinkedHashMap<>();
    for (String kv : query.replaceFirst("^\\?", "").split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        q.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    String container = q.getOrDefault("container", run.pod().getSpec().getContainers().get(0).getName());
    boolean timestamps = "true".equals(q.get("timestamps"));
    StringBuilder out = new StringBuilder();
    for (String line : run.lines(container)) {
      out.append(timestamps ? line : line.substring(line.indexOf(' ') + 1)).append('\n');
    }
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody(out.toString());
  }

  private void control() {
    while (!closed) {
      try {
        List<Job> jobs = client.batch().v1().jobs().inAnyNamespace().list().getItems();
        Set<String> live = ConcurrentHashMap.newKeySet();
        for (Job j : jobs) {
          live.add(j.getMetadata().getUid());
          if (jobsSeen.add(j.getMetadata().getUid())) {
            startPod(j);
          }
          deadline(j);
        }
        // The garbage collector: a deleted Job's pod goes with it.
        for (PodRun r : runs.values()) {
          if (!live.contains(r.jobUid) && !r.deleted) {
            r.deleted = true;
            try {
              client.pods().inNamespace(r.namespace).withName(r.name).delete();
            } catch (KubernetesClientException e) {
              // gone already
            }
          }
        }
        Thread.sleep(150);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void deadline(Job j) {
    Long deadline = j.getSpec().getActiveDeadlineSeconds();
    PodRun r = runs.values().stream().filter(p -> p.jobUid.equals(j.getMetadata().getUid())).findFirst().orElse(null);
    if (deadline == null || r == null || r.deleted || r.finished) {
      return;
    }
    if (Instant.now().isAfter(r.started.plusSeconds(deadline))) {
      // As the Job controller: the Job is marked failed, then its active pods are deleted.
      jobStatus(j, "Failed", "DeadlineExceeded", "Job was active longer than specified deadline");
      r.deleted = true;
      client.pods().inNamespace(r.namespace).withName(r.name).delete();
    }
  }

  private void startPod(Job j) {
    String ns = j.getMetadata().getNamespace();
    String name = j.getMetadata().getName() + "-" + Long.toString(Math.abs(System.nanoTime() % 60466176L), 36);
    Map<String, String> labels = new LinkedHashMap<>();
    if (j.getSpec().getTemplate().getMetadata() != null && j.getSpec().getTemplate().getMetadata().getLabels() != null) {
      labels.putAll(j.getSpec().getTemplate().getMetadata().getLabels());
    }
    labels.put("job-name", j.getMetadata().getName());
    labels.put("batch.kubernetes.io/job-name", j.getMetadata().getName());
    labels.put("controller-uid", j.getMetadata().getUid());
    Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels)
        .withCreationTimestamp(Instant.now().toString())
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
            .withName(j.getMetadata().getName()).withUid(j.getMetadata().getUid()).withController(true).build())
        .endMetadata()
        .withSpec(j.getSpec().getTemplate().getSpec())
        .withNewStatus().withPhase("Pending").endStatus()
        .build();
    Pod created = client.pods().inNamespace(ns).resource(pod).create();
    PodRun run = new PodRun(created, j.getMetadata().getUid());
    runs.put(name, run);
    pods.submit(() -> {
      try {
        kubelet.run(run);
      } catch (Exception e) {
        run.status(s -> {
          s.setPhase("Failed");
          s.setReason("KubeletError");
          s.setMessage(String.valueOf(e));
          return s;
        });
      }
      run.finished = true;
      if (!run.deleted) {
        PodStatus s = run.current().getStatus();
        Job now = client.batch().v1().jobs().inNamespace(ns).withName(j.getMetadata().getName()).get();
        if (now != null) {
          boolean ok = "Succeeded".equals(s.getPhase());
          jobStatus(now, ok ? "Complete" : "Failed", ok ? null : "BackoffLimitExceeded",
              ok ? null : "Job has reached the specified backoff limit");
        }
      }
    });
  }

  private void jobStatus(Job j, String type, String reason, String message) {
    String now = Instant.now().toString();
    JobCondition c = new JobConditionBuilder().withType(type).withStatus("True").withReason(reason)
        .withMessage(message).withLastTransitionTime(now).withLastProbeTime(now).build();
    try {
      client.batch().v1().jobs().inNamespace(j.getMetadata().getNamespace()).withName(j.getMetadata().getName())
          .editStatus(job -> {
            if (job.getStatus() == null) {
              job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
            }
            job.getStatus().setConditions(new ArrayList<>(List.of(c)));
            job.getStatus().setActive(0);
            if (type.equals("Complete")) {
              job.getStatus().setSucceeded(1);
              job.getStatus().setCompletionTime(now);
            } else {
              job.getStatus().setFailed(1);
            }
            return job;
          });
    } catch (KubernetesClientException e) {
      // the Job was deleted meanwhile
    }
  }

  /** One pod as the kubelet runs it. */
  public final class PodRun {
    private final String name;
    private final String namespace;
    private final String jobUid;
    private final Instant started = Instant.now();
    private final Map<String, List<String>> logs = new ConcurrentHashMap<>();
    private volatile Pod pod;
    private volatile boolean deleted;
    private volatile boolean finished;

    PodRun(Pod pod, String jobUid) {
      this.pod = pod;
      this.name = pod.getMetadata().getName();
      this.namespace = pod.getMetadata().getNamespace();
      this.jobUid = jobUid;
    }

    /** The pod as created. */
    public Pod pod() {
      return pod;
    }

    /** The pod as last updated. */
    public Pod current() {
      return pod;
    }

    /** A client of the cluster (to read the ConfigMaps and Secrets the pod uses). */
    public KubernetesClient client() {
      return client;
    }

    /** Whether the pod was deleted (its Job deleted, or its deadline passed): stop its containers. */
    public boolean deleted() {
      return deleted || closed;
    }

    /** Updates the pod's status. */
    public synchronized void status(UnaryOperator<PodStatus> change) {
      if (deleted) {
        return;
      }
      try {
        pod = client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
          PodStatus s = p.getStatus() == null ? new PodStatus() : p.getStatus();
          p.setStatus(change.apply(s));
          return p;
        });
      } catch (KubernetesClientException e) {
        deleted = true;
      }
    }

    /** Sets one container's status (replacing any earlier one of that name). */
    public void container(ContainerStatus status, boolean init) {
      status(s -> {
        List<ContainerStatus> list = new ArrayList<>(init
            ? (s.getInitContainerStatuses() == null ? List.of() : s.getInitContainerStatuses())
            : (s.getContainerStatuses() == null ? List.of() : s.getContainerStatuses()));
        list.removeIf(c -> c.getName().equals(status.getName()));
        list.add(status);
        if (init) {
          s.setInitContainerStatuses(list);
        } else {
          s.setContainerStatuses(list);
        }
        return s;
      });
    }

    /** Appends a line to a container's log, with the time now. */
    public void log(String container, String line) {
      logs.computeIfAbsent(container, k -> new CopyOnWriteArrayList<>()).add(Instant.now() + " " + line);
    }

    /** Appends a line that already starts with an RFC 3339 timestamp (as {@code docker logs -t} writes). */
    public void logTimestamped(String container, String line) {
      logs.computeIfAbsent(container, k -> new CopyOnWriteArrayList<>()).add(line);
    }

    List<String> lines(String container) {
      return List.copyOf(logs.getOrDefault(container, List.of()));
    }
  }

  /** The JDK's HTTP client on HTTP/1.1 (its HTTP/2 upgrade loses request bodies on the mock server). */
  static final class Http11 extends io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory {
    @Override
    protected void additionalConfig(java.net.http.HttpClient.Builder builder) {
      builder.version(java.net.http.HttpClient.Version.HTTP_1_1);
    }
  }

  @Override
  public void close() {
    closed = true;
    controller.interrupt();
    pods.shutdownNow();
    try {
      pods.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
    server.destroy();
  }
}
