package io.s2i.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.s2i.service.executor.kubernetes.KubernetesExecutor;
import io.s2i.service.executor.kubernetes.KubernetesSettings;
import io.s2i.testing.kube.MockCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code s2i serve} with the kubernetes executor, over its API, against fabric8's mock API server
 * (CRUD mode) with a scripted kubelet: a binary build's pod fetches its upload from the server with
 * the one-time token of its Secret (once; the API token is no key to it), its log and digest reach
 * the build, and cancelling a running build deletes its Job.
 */
class KubernetesServeTest {
  static final String DIGEST = "sha256:" + "cd".repeat(32);
  @TempDir Path tmp;
  MockCluster cluster;
  BuildServer server;
  final Map<String, Object> seen = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static String secretValue(Secret s, String key) {
    return s.getStringData() != null && s.getStringData().containsKey(key) ? s.getStringData().get(key)
        : new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  void kubelet(MockCluster.PodRun run) throws Exception {
    String ns = run.pod().getMetadata().getNamespace();
    List<Container> init = run.pod().getSpec().getInitContainers();
    if (init != null && !init.isEmpty()) {
      // What s2i fetch-input does in the init container.
      List<String> args = init.get(0).getArgs();
      String url = args.get(args.indexOf("--from") + 1);
      String secret = run.pod().getSpec().getVolumes().stream().filter(v -> v.getName().equals("input-token"))
          .findFirst().orElseThrow().getSecret().getSecretName();
      String token = secretValue(run.client().secrets().inNamespace(ns).withName(secret).get(), "token");
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest get = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build();
      HttpResponse<byte[]> first = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
      seen.put("first", first.statusCode() + ":" + new String(first.body(), StandardCharsets.UTF_8));
      HttpResponse<String> again = http.send(get, HttpResponse.BodyHandlers.ofString());
      seen.put("again", again.statusCode() + ":" + again.body());
      HttpResponse<String> apiToken = http.send(HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", "Bearer " + server.token()).build(), HttpResponse.BodyHandlers.ofString());
      seen.put("apiToken", apiToken.statusCode() + ":" + apiToken.body());
      running(run, "fetch-input", true);
      run.log("fetch-input", "Received the file input (" + first.body().length + " bytes)");
      ended(run, "fetch-input", true, 0);
    }
    running(run, "sti-build", false);
    if (run.pod().getMetadata().getName().startsWith("s2i-hang-")) {
      while (!run.deleted()) {
        run.log("sti-build", "still assembling");
        Thread.sleep(100);
      }
      seen.put("hang-stopped", true);
      return;
    }
    run.log("sti-build", "---> Installing application source");
    run.log("sti-build", DIGEST);
    ended(run, "sti-build", false, 0);
    run.status(s -> {
      s.setPhase("Succeeded");
      return s;
    });
  }

  static void running(MockCluster.PodRun run, String name, boolean init) {
    run.container(new ContainerStatusBuilder().withName(name).withNewState().withNewRunning()
        .withStartedAt(Instant.now().toString()).endRunning().endState().build(), init);
    run.status(s -> {
      s.setPhase("Running");
      return s;
    });
  }

  static void ended(MockCluster.PodRun run, String name, boolean init, int exit) {
    String now = Instant.now().toString();
    run.container(new ContainerStatusBuilder().withName(name).withNewState().withNewTerminated().withExitCode(exit)
        .withStartedAt(now).withFinishedAt(now).endTerminated().endState().build(), init);
  }

  JsonNode waitEnded(Api api, String build) throws Exception {
    for (int i = 0; i < 600; i++) {
      JsonNode b = ApiTest.json(api.get("/api/v1/builds/" + build));
      if (!List.of("New", "Pending", "Running").contains(b.path("phase").asText())) {
        return b;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(build + " did not end");
  }

  @Test
  void binaryInputIsServedOnceToItsTokenAndCancelDeletesTheJob() throws Exception {
    cluster = MockCluster.start(this::kubelet);
    Path settings = Files.writeString(tmp.resolve("kube.yaml"), "namespace: builds\npollMillis: 100\n");
    KubernetesExecutor executor = new KubernetesExecutor(cluster.newClient(), KubernetesSettings.load(settings),
        Clock.systemUTC());
    Path data = tmp.resolve("data");
    server = BuildServer.start(new ServerSettings("127.0.0.1", 0, false, data, Optional.empty(), 2,
        Optional.of("replica-k"), Duration.ofSeconds(30), false, 10 * 1024 * 1024, Optional.empty()), executor);
    Api api = new Api(server.url(), server.token());
    assertThat(api.post("/api/v1/buildconfigs", "{\"name\": \"bin\", \"source\": {\"type\": \"Binary\"},"
        + " \"strategy\": {\"builderImage\": \"127.0.0.1:5000/builders/java:17\"},"
        + " \"output\": {\"image\": \"127.0.0.1:5000/apps/bin:latest\", \"push\": true}}").status()).isEqualTo(201);
    Path jar = Files.writeString(tmp.resolve("app.jar"), "pretend this is a jar");
    Api.Answer started = api.upload("/api/v1/buildconfigs/bin/instantiatebinary?as=file&name=app.jar", jar);
    assertThat(started.status()).as(started.body()).isEqualTo(201);

    JsonNode built = waitEnded(api, "bin-1");
    assertThat(built.path("phase").asText()).as(built.toString()).isEqualTo("Complete");
    assertThat(built.path("imageDigest").asText()).isEqualTo(DIGEST);
    assertThat(seen.get("first")).isEqualTo("200:pretend this is a jar");
    assertThat((String) seen.get("again")).startsWith("410:").contains("has been used");
    assertThat((String) seen.get("apiToken")).startsWith("401:");
    String log = new String(api.stream("/api/v1/builds/bin-1/log", null).readAllBytes());
    assertThat(log).contains("Running the build as Job builds/s2i-bin-1").contains("Received the file input (21 bytes)")
        .contains("---> Installing application source").contains("Successfully built 127.0.0.1:5000/apps/bin:latest");
    assertThat(built.at("/stages").toString()).contains("FetchInputs").contains("ReceiveBinary");
    try (var uploads = Files.list(data.resolve("uploads"))) {
      assertThat(uploads.toList()).as("the upload is removed after the build").isEmpty();
    }
    HttpResponse<String> afterwards = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(server.url() + "/executor/v1/builds/bin-1/input")).header("Authorization", "Bearer s2ii_guess").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(afterwards.statusCode()).isEqualTo(401);

    // Cancel a running build: its Job goes, the pod is stopped, the build is Cancelled.
    api.post("/api/v1/buildconfigs", "{\"name\": \"hang\", \"source\": {\"git\": {\"uri\": \"https://example.invalid/h.git\"}},"
        + " \"strategy\": {\"builderImage\": \"127.0.0.1:5000/builders/java:17\"},"
        + " \"output\": {\"image\": \"127.0.0.1:5000/apps/hang:latest\"}}");
    api.post("/api/v1/buildconfigs/hang/instantiate", "{}");
    for (int i = 0; i < 100 && !new String(api.stream("/api/v1/builds/hang-1/log", null).readAllBytes())
        .contains("still assembling"); i++) {
      Thread.sleep(100);
    }
    for (int i = 0; i < 50 && !ApiTest.json(api.get("/api/v1/builds/hang-1")).path("phase").asText().equals("Running"); i++) {
      Thread.sleep(100);
    }
    assertThat(ApiTest.json(api.get("/api/v1/builds/hang-1")).path("phase").asText()).isEqualTo("Running");
    api.post("/api/v1/builds/hang-1/cancel", "");
    assertThat(waitEnded(api, "hang-1").path("phase").asText()).isEqualTo("Cancelled");
    assertThat(cluster.client().batch().v1().jobs().inNamespace("builds").withName("s2i-hang-1").get()).isNull();
    for (int i = 0; i < 50 && !seen.containsKey("hang-stopped"); i++) {
      Thread.sleep(100);
    }
    assertThat(seen).containsKey("hang-stopped");
  }
}
