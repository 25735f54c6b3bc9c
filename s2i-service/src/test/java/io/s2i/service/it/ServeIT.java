package io.s2i.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.service.BuildServer;
import io.s2i.service.ServerSettings;
import io.s2i.service.executor.LocalExecutor;
import io.s2i.service.model.ServiceJson;
import io.s2i.service.uploads.UploadExtractor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build service with the real Docker engine and the fixture builders, over HTTP, on the
 * embedded database (the database-heavy scenarios run on both databases in H2QueueTest and
 * PostgresQueueIT): run policies under 20 concurrent start-builds each, a log followed while
 * assemble runs, cancel mid-assemble, failures with their reasons, binary input, push with digest,
 * the Docker strategy and git revisions.
 */
class ServeIT {
  @TempDir Path tmp;
  final EngineFixture engine = new EngineFixture();
  final List<String> images = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();
  BuildServer server;

  @BeforeEach
  void start() throws Exception {
    engine.recordBefore();
    ServerSettings d = ServerSettings.defaults(tmp.resolve("data"));
    LocalExecutor executor = new LocalExecutor(EngineFixture.open(), new UploadExtractor(1 << 30, 100_000), b -> List.of());
    server = BuildServer.start(new ServerSettings("127.0.0.1", 0, false, d.dataDir(), Optional.empty(), 2,
        Optional.empty(), Duration.ofSeconds(30), false, 100L << 20, Optional.empty()), executor);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    for (String image : images) {
      EngineFixture.docker("rmi", "-f", image);
    }
    engine.checkNothingLeft(tmp);
  }

  String image(String name) {
    String ref = "localhost/s2i-it/serve-" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ":latest";
    images.add(ref);
    return ref;
  }

  // ---------------------------------------------------------------- HTTP

  HttpRequest.Builder req(String path) {
    return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofMinutes(5))
        .header("Authorization", "Bearer " + server.token());
  }

  JsonNode send(HttpRequest r, int status) throws Exception {
    HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(status);
    return resp.body().isEmpty() ? null : ServiceJson.json().readTree(resp.body());
  }

  JsonNode post(String path, String json, int status) throws Exception {
    return send(req(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(), status);
  }

  JsonNode get(String path) throws Exception {
    return send(req(path).GET().build(), 200);
  }

  InputStream stream(String path) throws Exception {
    return http.send(req(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream()).body();
  }

  String log(String build) throws Exception {
    try (InputStream in = stream("/api/v1/builds/" + build + "/log?follow=true")) {
      return new String(in.readAllBytes());
    }
  }

  JsonNode waitEnded(String build) throws Exception {
    for (int i = 0; i < 3000; i++) {
      JsonNode b = get("/api/v1/builds/" + build);
      String phase = b.path("phase").asText();
      if (!List.of("New", "Pending", "Running").contains(phase)) {
        return b;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(build + " did not end");
  }

  /** A git repository with one commit of {@code files} (path, content pairs). */
  Path repo(String name, String... files) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (int i = 0; i < files.length; i += 2) {
      Path f = dir.resolve(files[i]);
      Files.createDirectories(f.getParent());
      Files.writeString(f, files[i + 1]);
      if (files[i].contains("/bin/") || files[i].endsWith(".sh")) {
        f.toFile().setExecutable(true, false);
      }
    }
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("first commit").setAuthor("Tester", "tester@example.com")
          .setCommitter("Tester", "tester@example.com").setSign(false).call();
    }
    return dir;
  }

  static String config(String name, String source, String image, String policy, String extra) {
    return "{\"name\": \"" + name + "\", \"source\": " + source + ", \"runPolicy\": \"" + policy + "\","
        + " \"successfulBuildsHistoryLimit\": 50, \"failedBuildsHistoryLimit\": 50,"
        + " \"strategy\": {\"builderImage\": \"" + EngineFixture.BUILDER + "\", \"pullPolicy\": \"Never\"" + extra + "},"
        + " \"output\": {\"image\": \"" + image + "\"}}";
  }

  static String git(Path repo) {
    return "{\"git\": {\"uri\": \"" + repo + "\", \"ref\": \"main\"}}";
  }

  // ---------------------------------------------------------------- scenarios

  @Test
  void twentyConcurrentStartBuildsUnderEachRunPolicy() throws Exception {
    Path app = repo("app", "hello.txt", "hello\n");
    String commit;
    try (Git g = Git.open(app.toFile())) {
      commit = g.getRepository().resolve("HEAD").name();
    }
    String[][] configs = {{"serial", "Serial"}, {"parallel", "Parallel"}, {"latest", "SerialLatestOnly"}};
    for (String[] c : configs) {
      post("/api/v1/buildconfigs", config(c[0], git(app), image(c[0]), c[1], ""), 201);
    }
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<JsonNode>> starts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      for (String[] c : configs) {
        // each build gets its own env, so each makes its own image (no unchanged-build shortcut)
        starts.add(pool.submit(() -> post("/api/v1/buildconfigs/" + c[0] + "/instantiate",
            "{\"env\": [{\"name\": \"N\", \"value\": \"" + n + "\"}]}", 201)));
      }
    }
    for (Future<JsonNode> f : starts) {
      f.get();
    }
    pool.shutdown();
    for (String[] c : configs) {
      for (int n = 1; n <= 20; n++) {
        waitEnded(c[0] + "-" + n);
      }
    }
    for (String[] c : configs) {
      JsonNode builds = get("/api/v1/buildconfigs/" + c[0] + "/builds?limit=100");
      assertThat(builds).hasSize(20);
      List<long[]> spans = new ArrayList<>();
      int complete = 0;
      for (JsonNode b : builds) {
        String phase = b.path("phase").asText();
        if (phase.equals("Complete")) {
          complete++;
          assertThat(b.path("revision").path("commit").asText()).isEqualTo(commit);
          assertThat(b.path("stages").toString()).contains("Assemble").contains("FetchInputs");
          spans.add(new long[] {java.time.Instant.parse(b.path("startedAt").asText()).toEpochMilli(),
              java.time.Instant.parse(b.path("completedAt").asText()).toEpochMilli()});
        } else {
          assertThat(c[1]).isEqualTo("SerialLatestOnly");
          assertThat(phase).isEqualTo("Cancelled");
        }
      }
      int overlap = maxOverlap(spans);
      switch (c[1]) {
        case "Serial" -> {
          assertThat(complete).isEqualTo(20);
          assertThat(overlap).isEqualTo(1);
        }
        case "Parallel" -> {
          assertThat(complete).isEqualTo(20);
          assertThat(overlap).isBetween(1, 2);
        }
        default -> {
          assertThat(builds.get(0).path("name").asText()).isEqualTo("latest-20");
          assertThat(builds.get(0).path("phase").asText()).isEqualTo("Complete");
          assertThat(complete).isLessThan(20);
          assertThat(overlap).isEqualTo(1);
        }
      }
    }
  }

  /** The most builds running at one instant (a build overlapping two that ran one after the other counts 2). */
  static int maxOverlap(List<long[]> spans) {
    int max = 0;
    for (long[] s : spans) {
      // the number running just after s started: those started by then and not yet ended
      int n = 0;
      for (long[] o : spans) {
        if (o[0] <= s[0] && s[0] < o[1]) {
          n++;
        }
      }
      max = Math.max(max, n);
    }
    return max;
  }

  @Test
  void followTheLogThenCancelMidAssemble() throws Exception {
    Path app = repo("slow", "hello.txt", "hi\n", ".s2i/bin/assemble",
        "#!/bin/sh\necho \"secret is $SECRET_TOKEN\"\nfor i in $(seq 1 100); do echo \"step $i\"; sleep 0.2; done\n");
    post("/api/v1/buildconfigs", config("slow", git(app), image("slow"), "Serial",
        ", \"env\": [{\"name\": \"SECRET_TOKEN\", \"value\": \"s3cr3t-value\", \"secret\": true}]"), 201);
    post("/api/v1/buildconfigs/slow/instantiate", "{}", 201);
    List<String> seen = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(stream("/api/v1/builds/slow-1/log?follow=true")))) {
      String line;
      while ((line = r.readLine()) != null) {
        seen.add(line);
        if (line.equals("step 3")) {
          assertThat(get("/api/v1/builds/slow-1").path("phase").asText()).isEqualTo("Running");
          assertThat(engine.newContainers()).as("the assemble container runs").isNotEmpty();
          post("/api/v1/builds/slow-1/cancel", "", 200);
        }
      }
    }
    JsonNode b = waitEnded("slow-1");
    assertThat(b.path("phase").asText()).isEqualTo("Cancelled");
    assertThat(seen).contains("secret is *****", "step 1", "step 2", "step 3").doesNotContain("step 100");
    assertThat(String.join("\n", seen)).doesNotContain("s3cr3t-value");
    assertThat(engine.newContainers()).as("containers left by the cancelled build").isEmpty();
  }

  @Test
  void failuresCarryOpenShiftReasonsAndTheLastLogLines() throws Exception {
    Path app = repo("failing", "hello.txt", "hi\n", "fail-with", "3\n");
    post("/api/v1/buildconfigs", config("failing", git(app), image("failing"), "Serial", ""), 201);
    post("/api/v1/buildconfigs/failing/instantiate", "{}", 201);
    JsonNode failed = waitEnded("failing-1");
    assertThat(failed.path("phase").asText()).isEqualTo("Failed");
    assertThat(failed.path("reason").asText()).isEqualTo("AssembleFailed");
    assertThat(failed.path("logSnippet").asText()).contains("Failing on purpose with exit code 3");
    post("/api/v1/buildconfigs", config("nobuilder", git(app), image("nobuilder"), "Serial", "")
        .replace(EngineFixture.BUILDER, "127.0.0.1:1/s2i-it/absent:latest"), 201);
    post("/api/v1/buildconfigs/nobuilder/instantiate", "{}", 201);
    JsonNode pull = waitEnded("nobuilder-1");
    assertThat(pull.path("phase").asText()).isEqualTo("Failed");
    assertThat(pull.path("reason").asText()).isEqualTo("PullBuilderImageFailed");
    post("/api/v1/buildconfigs", config("nosource", "{\"git\": {\"uri\": \"" + tmp.resolve("missing") + "\"}}",
        image("nosource"), "Serial", ""), 201);
    post("/api/v1/buildconfigs/nosource/instantiate", "{}", 201);
    assertThat(waitEnded("nosource-1").path("reason").asText()).isEqualTo("FetchSourceFailed");
  }

  @Test
  void binaryInputPushAndTheDockerStrategy() throws Exception {
    // a single file, placed as asFile, built and pushed to the loopback registry
    String pushed = "127.0.0.1:5000/s2i-it/serve-push-" + UUID.randomUUID().toString().substring(0, 8) + ":latest";
    images.add(pushed);
    post("/api/v1/buildconfigs", config("bin", "{\"type\": \"Binary\", \"binary\": {\"asFile\": \"app.sh\"}}", pushed,
        "Serial", ", \"env\": [{\"name\": \"INDEX_TOKEN\", \"value\": \"s3cr3t-index\", \"secret\": true},"
            + " {\"name\": \"GREETING\", \"value\": \"hi\"}]").replace("\"output\": {\"image\": \"" + pushed + "\"}", "\"output\": {\"image\": \"" + pushed + "\", \"push\": true}"), 201);
    Path file = Files.writeString(tmp.resolve("whatever.sh"), "#!/bin/sh\necho from-binary\n");
    send(req("/api/v1/buildconfigs/bin/instantiatebinary?as=file&name=whatever.sh")
        .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), 201);
    JsonNode b = waitEnded("bin-1");
    assertThat(b.path("phase").asText()).as(b.toString()).isEqualTo("Complete");
    assertThat(b.path("imageDigest").asText()).startsWith("sha256:");
    assertThat(b.path("stages").toString()).contains("PushImage");
    assertThat(EngineFixture.docker("run", "--rm", "--network", "none", pushed)).contains("from-binary");
    // A secret variable is the build's only: the image keeps the ordinary one and not the secret's value.
    assertThat(EngineFixture.docker("image", "inspect", "-f", "{{json .Config.Env}}", pushed))
        .contains("GREETING=hi").doesNotContain("s3cr3t-index");
    try (var uploads = Files.list(tmp.resolve("data/uploads"))) {
      assertThat(uploads.toList()).as("uploads kept after the build").isEmpty();
    }
    // the Docker strategy: the source's Dockerfile, with the configuration's env added
    Path app = repo("dockerapp", "docker/Dockerfile", "FROM localhost/s2i-test/base:latest\nRUN echo built > /built.txt\n"
        + "CMD [\"sh\", \"-c\", \"cat /built.txt; echo $GREETING\"]\n");
    String dockerImage = image("docker");
    post("/api/v1/buildconfigs", "{\"name\": \"dock\", \"source\": " + git(app) + ", \"strategy\": {\"type\": \"Docker\","
        + " \"dockerfilePath\": \"docker/Dockerfile\", \"env\": [{\"name\": \"GREETING\", \"value\": \"hello docker\"}]},"
        + " \"output\": {\"image\": \"" + dockerImage + "\"}}", 201);
    post("/api/v1/buildconfigs/dock/instantiate", "{}", 201);
    JsonNode d = waitEnded("dock-1");
    assertThat(d.path("phase").asText()).as(log("dock-1")).isEqualTo("Complete");
    assertThat(d.path("revision").path("message").asText()).isEqualTo("first commit");
    assertThat(EngineFixture.docker("run", "--rm", "--network", "none", dockerImage)).contains("built").contains("hello docker");
  }
}
