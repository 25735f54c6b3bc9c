package io.s2i.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.service.store.Database;
import io.s2i.testing.db.PostgresCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one PostgreSQL database, in one JVM with the stand-in executor, so the database's
 * locks do the work: builds started on either run once in all; a log is followed from the server
 * that does not run the build; and a server whose lease ran out (a long pause) stops the build and
 * records nothing over what the server that settled it wrote. {@code ServeReplicasIT} (s2i-cli) runs
 * the same with two {@code s2i serve} processes, the real engine and {@code kill -9}.
 */
class PostgresReplicasIT {
  static PostgresCluster cluster;
  static int databases;
  @TempDir Path tmp;
  final List<BuildServer> servers = new ArrayList<>();
  final List<FakeExecutor> executors = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = PostgresCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void stop() {
    servers.forEach(BuildServer::close);
  }

  Api start(String url, String replica, boolean rerun, Duration lease) throws Exception {
    FakeExecutor executor = new FakeExecutor();
    Path data = tmp.resolve(replica);
    BuildServer server = BuildServer.start(new ServerSettings("127.0.0.1", 0, false, data, Optional.of(url), 2,
        Optional.of(replica), lease, rerun, 10 * 1024 * 1024, Optional.empty()), executor);
    servers.add(server);
    executors.add(executor);
    return new Api(server.url(), server.token());
  }

  static JsonNode waitEnded(Api api, String build) throws Exception {
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
  void buildsStartedOnEitherServerRunOnceAndLogsFollowFromEither() throws Exception {
    String url = cluster.createDatabase("replicas_" + ++databases);
    Api a = start(url, "replica-a", false, Duration.ofSeconds(3));
    Api b = start(url, "replica-b", false, Duration.ofSeconds(3));
    String env = "{\"name\": \"LINES\", \"value\": \"5\"}, {\"name\": \"SLEEP_MS\", \"value\": \"60\"}";
    assertThat(a.post("/api/v1/buildconfigs", QueueScenarios.gitConfig("par", "Parallel", env)).status()).isEqualTo(201);
    assertThat(b.post("/api/v1/buildconfigs", QueueScenarios.gitConfig("ser", "Serial", env)).status()).isEqualTo(201);
    for (int i = 0; i < 10; i++) {
      Api via = i % 2 == 0 ? a : b;
      assertThat(via.post("/api/v1/buildconfigs/par/instantiate", "{}").status()).isEqualTo(201);
      assertThat(via.post("/api/v1/buildconfigs/ser/instantiate", "{}").status()).isEqualTo(201);
    }
    for (int n = 1; n <= 10; n++) {
      assertThat(waitEnded(a, "par-" + n).path("phase").asText()).isEqualTo("Complete");
      assertThat(waitEnded(b, "ser-" + n).path("phase").asText()).isEqualTo("Complete");
    }
    Map<String, Integer> runs = new HashMap<>();
    executors.forEach(e -> e.runs.forEach((name, count) -> runs.merge(name, count.get(), Integer::sum)));
    assertThat(runs).hasSize(20).allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1));
    assertThat(executors).allSatisfy(e -> assertThat(e.runs).as("each server ran some").isNotEmpty());
    // Serial holds across servers: never two builds of "ser" at once in all.
    for (int n = 2; n <= 10; n++) {
      JsonNode prev = ApiTest.json(a.get("/api/v1/builds/ser-" + (n - 1)));
      JsonNode next = ApiTest.json(a.get("/api/v1/builds/ser-" + n));
      assertThat(java.time.Instant.parse(next.path("startedAt").asText()))
          .isAfterOrEqualTo(java.time.Instant.parse(prev.path("completedAt").asText()).minusMillis(5));
    }

    // A log followed on the server that does not run the build: every line, in order, to the end.
    a.post("/api/v1/buildconfigs/par/instantiate", "{\"env\": [{\"name\": \"LINES\", \"value\": \"40\"}]}");
    String runner = null;
    for (int i = 0; i < 100 && runner == null; i++) {
      for (int s = 0; s < 2; s++) {
        if (executors.get(s).runs.containsKey("par-11")) {
          runner = s == 0 ? "a" : "b";
        }
      }
      Thread.sleep(50);
    }
    assertThat(runner).isNotNull();
    Api other = runner.equals("a") ? b : a;
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        other.stream("/api/v1/builds/par-11/log?follow=true", null)))) {
      String l;
      while ((l = r.readLine()) != null) {
        lines.add(l);
      }
    }
    List<String> numbered = lines.stream().filter(l -> l.startsWith("line ")).toList();
    assertThat(numbered).hasSize(40);
    for (int i = 0; i < 40; i++) {
      assertThat(numbered.get(i)).isEqualTo("line " + (i + 1));
    }
    assertThat(ApiTest.json(other.get("/api/v1/builds/par-11")).path("phase").asText()).isEqualTo("Complete");
  }

  @Test
  void aQueuedBinaryBuildOfAServerThatStoppedIsSettledByAnother() throws Exception {
    String url = cluster.createDatabase("replicas_" + ++databases);
    Api b = start(url, "replica-b", false, Duration.ofSeconds(3));
    b.post("/api/v1/buildconfigs", QueueScenarios.config("bin", "Serial", ""));
    // What a server that received an upload and died before claiming it leaves: a queued build
    // only it could run, and its heartbeat running out.
    try (Database db = Database.postgres(url, 2)) {
      io.s2i.service.store.JdbcBuildStore store = new io.s2i.service.store.JdbcBuildStore(db);
      store.createBuild("bin", io.s2i.service.model.BuildOptions.none()
          .withBinary(new io.s2i.service.model.BuildOptions.BinaryInput("file", "app.jar", 3)),
          List.of(io.s2i.service.model.TriggerCause.manual()), "/nowhere/upload-1", "replica-dead");
      store.heartbeat("replica-dead", java.time.Instant.now().plusMillis(500));
    }
    JsonNode settled = waitEnded(b, "bin-1");
    assertThat(settled.path("phase").asText()).isEqualTo("Error");
    assertThat(settled.path("message").asText()).contains("received by server replica-dead, which stopped");
    assertThat(executors.get(0).runs).isEmpty();
    assertThat(new String(b.stream("/api/v1/builds/bin-1/log", null).readAllBytes())).contains("start the build again");
  }

  @Test
  void aServerThatLostItsLeaseStopsTheBuildAndRecordsNothingOverTheSettlement() throws Exception {
    String url = cluster.createDatabase("replicas_" + ++databases);
    Api a = start(url, "replica-a", false, Duration.ofSeconds(3));
    a.post("/api/v1/buildconfigs", QueueScenarios.gitConfig("long", "Serial",
        "{\"name\": \"LINES\", \"value\": \"600\"}, {\"name\": \"SLEEP_MS\", \"value\": \"50\"}"));
    a.post("/api/v1/buildconfigs/long/instantiate", "{}");
    for (int i = 0; i < 100 && !ApiTest.json(a.get("/api/v1/builds/long-1")).path("phase").asText().equals("Running"); i++) {
      Thread.sleep(100);
    }
    // What another server does when this one's lease ran out during a pause: it settles the build.
    try (Database db = Database.postgres(url, 2); Connection c = db.dataSource().getConnection();
         PreparedStatement ps = c.prepareStatement("UPDATE builds SET phase = 'Error', reason = 'BuildInterrupted',"
             + " message = 'settled by replica-b', owner = NULL, lease_until = NULL WHERE name = 'long-1'")) {
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    // replica-a notices at its next renewal, stops the build, and leaves the settlement as it is.
    for (int i = 0; i < 100 && servers.get(0).service().store().build("long-1").isPresent()
        && executors.get(0).running.get() > 0; i++) {
      Thread.sleep(100);
    }
    assertThat(executors.get(0).running.get()).isZero();
    Thread.sleep(500);
    JsonNode settled = ApiTest.json(a.get("/api/v1/builds/long-1"));
    assertThat(settled.path("phase").asText()).isEqualTo("Error");
    assertThat(settled.path("message").asText()).isEqualTo("settled by replica-b");
    String log = new String(a.stream("/api/v1/builds/long-1/log", null).readAllBytes());
    assertThat(log).doesNotContain("Build cancelled").doesNotContain("Build Error");
  }
}
