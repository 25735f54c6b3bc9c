package io.s2i.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.TriggerCause;
import io.s2i.service.store.Database;
import io.s2i.service.store.JdbcBuildStore;
import io.s2i.service.store.LogLine;
import io.s2i.service.store.StoredBuild;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue, logs, cancel, pruning and recovery over HTTP with a stand-in executor, so the
 * database does the work: run on the embedded database ({@code H2QueueTest}) and on PostgreSQL
 * ({@code PostgresQueueIT}).
 */
abstract class QueueScenarios {
  @TempDir Path tmp;
  BuildServer server;
  FakeExecutor executor;
  Api api;

  /** The database to use; empty for the embedded one. */
  abstract Optional<String> database() throws Exception;

  BuildServer start(Path data, boolean rerun) throws Exception {
    executor = new FakeExecutor();
    ServerSettings d = ServerSettings.defaults(data);
    server = BuildServer.start(new ServerSettings("127.0.0.1", 0, false, data, database(), 2,
        Optional.of("replica-" + data.getFileName()), Duration.ofSeconds(3), rerun, 10 * 1024 * 1024,
        Optional.empty()), executor);
    api = new Api(server.url(), server.token());
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static String config(String name, String policy, String env) {
    return "{\"name\": \"" + name + "\", \"source\": {\"type\": \"Binary\"}, \"runPolicy\": \"" + policy + "\","
        + " \"successfulBuildsHistoryLimit\": 100, \"failedBuildsHistoryLimit\": 100,"
        + " \"strategy\": {\"builderImage\": \"localhost/s2i-test/builder:latest\", \"env\": [" + env + "]},"
        + " \"output\": {\"image\": \"localhost/s2i-it/" + name + ":latest\"}}";
  }

  static String gitConfig(String name, String policy, String env) {
    return config(name, policy, env).replace("{\"type\": \"Binary\"}", "{\"git\": {\"uri\": \"https://example.invalid/x.git\"}}");
  }

  JsonNode waitEnded(String build) throws Exception {
    for (int i = 0; i < 1200; i++) {
      JsonNode b = ApiTest.json(api.get("/api/v1/builds/" + build));
      String phase = b.path("phase").asText();
      if (!phase.equals("New") && !phase.equals("Pending") && !phase.equals("Running")) {
        return b;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(build + " did not end");
  }

  @Test
  void twentyConcurrentStartBuildsUnderEachRunPolicy() throws Exception {
    start(tmp.resolve("data"), false);
    String env = "{\"name\": \"LINES\", \"value\": \"2\"}, {\"name\": \"SLEEP_MS\", \"value\": \"40\"}";
    for (String[] c : new String[][] {{"serial", "Serial"}, {"parallel", "Parallel"}, {"latest", "SerialLatestOnly"}}) {
      assertThat(api.post("/api/v1/buildconfigs", gitConfig(c[0], c[1], env)).status()).isEqualTo(201);
    }
    ExecutorService pool = Executors.newFixedThreadPool(30);
    List<Future<Api.Answer>> starts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      for (String c : List.of("serial", "parallel", "latest")) {
        starts.add(pool.submit(() -> api.post("/api/v1/buildconfigs/" + c + "/instantiate", "{}")));
      }
    }
    for (Future<Api.Answer> f : starts) {
      assertThat(f.get().status()).as(f.get().body()).isEqualTo(201);
    }
    pool.shutdown();
    for (String c : List.of("serial", "parallel", "latest")) {
      for (int n = 1; n <= 20; n++) {
        waitEnded(c + "-" + n);
      }
    }
    JsonNode serial = ApiTest.json(api.get("/api/v1/buildconfigs/serial/builds?limit=100"));
    assertThat(serial).hasSize(20).allSatisfy(b -> assertThat(b.path("phase").asText()).isEqualTo("Complete"))
        .allSatisfy(b -> assertThat(b.path("executor").asText()).isEqualTo("fake"));
    assertThat(executor.maxPerConfig.get("serial")).isEqualTo(1);
    // Serial runs in order: each build started after the one before it ended.
    for (int n = 2; n <= 20; n++) {
      JsonNode prev = ApiTest.json(api.get("/api/v1/builds/serial-" + (n - 1)));
      JsonNode next = ApiTest.json(api.get("/api/v1/builds/serial-" + n));
      assertThat(Instant.parse(next.path("startedAt").asText()))
          .isAfterOrEqualTo(Instant.parse(prev.path("completedAt").asText()).minusMillis(5));
    }
    JsonNode parallel = ApiTest.json(api.get("/api/v1/buildconfigs/parallel/builds?limit=100"));
    assertThat(parallel).hasSize(20).allSatisfy(b -> assertThat(b.path("phase").asText()).isEqualTo("Complete"));
    assertThat(executor.maxRunning.get()).isEqualTo(2);
    JsonNode latest = ApiTest.json(api.get("/api/v1/buildconfigs/latest/builds?limit=100"));
    assertThat(latest).hasSize(20);
    assertThat(latest.get(0).path("name").asText()).isEqualTo("latest-20");
    assertThat(latest.get(0).path("phase").asText()).isEqualTo("Complete");
    long cancelled = 0;
    for (JsonNode b : latest) {
      String phase = b.path("phase").asText();
      assertThat(phase).isIn("Complete", "Cancelled");
      if (phase.equals("Cancelled")) {
        cancelled++;
        assertThat(b.path("reason").asText()).isEqualTo("CancelledBuild");
        assertThat(b.path("message").asText()).contains("SerialLatestOnly");
      }
    }
    assertThat(cancelled).isGreaterThan(0);
    assertThat(executor.maxPerConfig.get("latest")).isEqualTo(1);
    // every build ran at most once
    assertThat(executor.runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(executor.runs).hasSize(40 + (int) (20 - cancelled));
    // alone, Parallel builds fill both workers at once
    for (int i = 0; i < 4; i++) {
      api.post("/api/v1/buildconfigs/parallel/instantiate", "{\"env\": [{\"name\": \"SLEEP_MS\", \"value\": \"200\"}]}");
    }
    for (int n = 21; n <= 24; n++) {
      waitEnded("parallel-" + n);
    }
    assertThat(executor.maxPerConfig.get("parallel")).isEqualTo(2);
    assertThat(executor.maxRunning.get()).isEqualTo(2);
  }

  @Test
  void followALogWhileTheBuildRunsThenReplayIt() throws Exception {
    start(tmp.resolve("data"), false);
    api.post("/api/v1/buildconfigs", gitConfig("follow", "Serial",
        "{\"name\": \"LINES\", \"value\": \"30\"}, {\"name\": \"SLEEP_MS\", \"value\": \"40\"}"));
    api.post("/api/v1/buildconfigs/follow/instantiate", "{}");
    List<String> lines = new ArrayList<>();
    String phaseAtFirstLine = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        api.stream("/api/v1/builds/follow-1/log?follow=true", null)))) {
      String l;
      while ((l = r.readLine()) != null) {
        if (l.equals("line 1")) {
          for (int i = 0; i < 20 && !"Running".equals(phaseAtFirstLine); i++) {
            phaseAtFirstLine = ApiTest.json(api.get("/api/v1/builds/follow-1")).path("phase").asText();
            Thread.sleep(i == 0 ? 0 : 50);
          }
        }
        lines.add(l);
      }
    }
    assertThat(phaseAtFirstLine).isEqualTo("Running");
    List<String> numbered = lines.stream().filter(l -> l.startsWith("line ")).toList();
    assertThat(numbered).hasSize(30);
    for (int i = 0; i < 30; i++) {
      assertThat(numbered.get(i)).isEqualTo("line " + (i + 1));
    }
    assertThat(ApiTest.json(api.get("/api/v1/builds/follow-1")).path("phase").asText()).isEqualTo("Complete");
    String replay = new String(api.stream("/api/v1/builds/follow-1/log?follow=true", null).readAllBytes());
    assertThat(replay.lines().toList()).isEqualTo(lines);
    String withTimes = new String(api.stream("/api/v1/buildconfigs/follow/log?timestamps=true", null).readAllBytes());
    assertThat(withTimes.lines().toList().get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z .*");
    // server-sent events: one event per line with its number as id, and an end event
    String sse = new String(api.stream("/api/v1/builds/follow-1/log?since=28", "text/event-stream").readAllBytes());
    assertThat(sse).contains("id: 29\nevent: line\n").contains("event: end\ndata: {\"phase\":\"Complete\"}")
        .doesNotContain("id: 28\n");
  }

  @Test
  void cancelRunningAndQueuedBuilds() throws Exception {
    start(tmp.resolve("data"), false);
    api.post("/api/v1/buildconfigs", gitConfig("slow", "Serial",
        "{\"name\": \"LINES\", \"value\": \"600\"}, {\"name\": \"SLEEP_MS\", \"value\": \"50\"}"));
    api.post("/api/v1/buildconfigs/slow/instantiate", "{}");
    api.post("/api/v1/buildconfigs/slow/instantiate", "{}");
    api.post("/api/v1/buildconfigs/slow/instantiate", "{}");
    for (int i = 0; i < 100 && !ApiTest.json(api.get("/api/v1/builds/slow-1")).path("phase").asText().equals("Running"); i++) {
      Thread.sleep(100);
    }
    JsonNode queued = ApiTest.json(api.post("/api/v1/builds/slow-3/cancel", ""));
    assertThat(queued.path("phase").asText()).isEqualTo("Cancelled");
    api.post("/api/v1/builds/slow-1/cancel", "");
    JsonNode first = waitEnded("slow-1");
    assertThat(first.path("phase").asText()).isEqualTo("Cancelled");
    assertThat(first.path("reason").asText()).isEqualTo("CancelledBuild");
    for (int i = 0; i < 100 && !ApiTest.json(api.get("/api/v1/builds/slow-2")).path("phase").asText().equals("Running"); i++) {
      Thread.sleep(100);
    }
    api.post("/api/v1/builds/slow-2/cancel", "");
    assertThat(waitEnded("slow-2").path("phase").asText()).isEqualTo("Cancelled");
    assertThat(executor.runs.keySet()).containsExactlyInAnyOrder("slow-1", "slow-2");
    ApiTest.assertBad(api.post("/api/v1/builds/slow-1/cancel", ""), 409, "already ended");
    assertThat(new String(api.stream("/api/v1/builds/slow-1/log", null).readAllBytes())).contains("Build cancelled");
  }

  @Test
  void pruningFollowsTheHistoryLimitsAndRemovesLogsAndUploads() throws Exception {
    Path data = tmp.resolve("data");
    start(data, false);
    String c = config("prune", "Serial", "{\"name\": \"LINES\", \"value\": \"1\"}")
        .replace("\"successfulBuildsHistoryLimit\": 100, \"failedBuildsHistoryLimit\": 100",
            "\"successfulBuildsHistoryLimit\": 2, \"failedBuildsHistoryLimit\": 1");
    api.post("/api/v1/buildconfigs", c);
    Path upload = Files.writeString(tmp.resolve("app.jar"), "not really a jar");
    for (int i = 1; i <= 7; i++) {
      String fail = i % 2 == 0 ? "&env=FAIL=1" : "";
      Api.Answer a = api.upload("/api/v1/buildconfigs/prune/instantiatebinary?as=file&name=app.jar" + fail, upload);
      assertThat(a.status()).as(a.body()).isEqualTo(201);
      waitEnded("prune-" + i);
    }
    // pruning runs right after a build's end is recorded
    JsonNode builds = ApiTest.json(api.get("/api/v1/buildconfigs/prune/builds"));
    for (int i = 0; i < 50 && builds.size() > 3; i++) {
      Thread.sleep(100);
      builds = ApiTest.json(api.get("/api/v1/buildconfigs/prune/builds"));
    }
    List<String> kept = new ArrayList<>();
    builds.forEach(b -> kept.add(b.path("name").asText() + ":" + b.path("phase").asText()));
    assertThat(kept).containsExactly("prune-7:Complete", "prune-6:Failed", "prune-5:Complete");
    assertThat(api.get("/api/v1/builds/prune-1").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/builds/prune-1/log").status()).isEqualTo(404);
    try (var files = Files.list(data.resolve("uploads"))) {
      assertThat(files.toList()).as("uploads kept after their builds").isEmpty();
    }
    JsonNode failed = ApiTest.json(api.get("/api/v1/builds/prune-6"));
    assertThat(failed.path("reason").asText()).isEqualTo("AssembleFailed");
    assertThat(failed.path("logSnippet").asText()).contains("assemble failed on purpose");
    // lower a limit: pruned at once
    api.put("/api/v1/buildconfigs/prune", api.get("/api/v1/buildconfigs/prune").body()
        .replace("\"successfulBuildsHistoryLimit\":2", "\"successfulBuildsHistoryLimit\":1"));
    assertThat(ApiTest.json(api.get("/api/v1/buildconfigs/prune/builds"))).hasSize(2);
  }

  @Test
  void buildsOfADeadServerAreSettledWithTheirLogsKept() throws Exception {
    Path data = tmp.resolve("data");
    start(data, false);
    api.post("/api/v1/buildconfigs", gitConfig("crash", "Serial", ""));
    server.close();
    server = null;
    // What a server killed mid-build leaves: a Running build it owned, with part of its log.
    Database db = database().isPresent() ? Database.postgres(database().get(), 2) : Database.embedded(data, 2);
    try (db) {
      JdbcBuildStore store = new JdbcBuildStore(db);
      StoredBuild b = store.createBuild("crash", BuildOptions.none(), List.of(TriggerCause.manual()), null, null).orElseThrow();
      assertThat(store.claim("dead-replica", 1, Duration.ofMillis(1))).hasSize(1);
      store.markRunning(b.id(), Instant.now(), "local");
      store.appendLog(b.id(), List.of(new LogLine(1, Instant.now(), "assembling...")));
      store.createBuild("crash", BuildOptions.none(), List.of(TriggerCause.manual()), null, null);
    }
    Thread.sleep(20);
    start(data, false);
    JsonNode settled = waitEnded("crash-1");
    assertThat(settled.path("phase").asText()).isEqualTo("Error");
    assertThat(settled.path("reason").asText()).isEqualTo("BuildInterrupted");
    assertThat(settled.path("message").asText()).contains("dead-replica").contains("stopped");
    String log = new String(api.stream("/api/v1/builds/crash-1/log", null).readAllBytes());
    assertThat(log).startsWith("assembling...\n").contains("fake clean-up of 1 builds").contains("marked Error");
    // the queued one still runs
    assertThat(waitEnded("crash-2").path("phase").asText()).isEqualTo("Complete");
  }

  @Test
  void interruptedBuildsRunAgainWhenConfigured() throws Exception {
    Path data = tmp.resolve("data");
    start(data, true);
    api.post("/api/v1/buildconfigs", gitConfig("again", "Serial", ""));
    server.close();
    server = null;
    Database db = database().isPresent() ? Database.postgres(database().get(), 2) : Database.embedded(data, 2);
    try (db) {
      JdbcBuildStore store = new JdbcBuildStore(db);
      store.createBuild("again", BuildOptions.none(), List.of(TriggerCause.manual()), null, null).orElseThrow();
      store.claim("dead-replica", 1, Duration.ofMillis(1));
    }
    Thread.sleep(20);
    start(data, true);
    assertThat(waitEnded("again-1").path("phase").asText()).isEqualTo("Complete");
    String log = new String(api.stream("/api/v1/builds/again-1/log", null).readAllBytes());
    assertThat(log).contains("queued to run again").contains("attempt 2");
  }
}
