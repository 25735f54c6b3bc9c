package io.s2i.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.service.triggers.service.Deliveries;
import io.s2i.testing.db.PostgresCluster;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trigger scenarios on a real PostgreSQL server (a throwaway cluster, a database per test),
 * plus what only a shared database shows: two servers that both see an image change rebuild each
 * configuration once, and a delivery replayed to the other server is refused.
 */
class PostgresTriggersIT extends TriggerScenarios {
  static PostgresCluster cluster;
  static final AtomicInteger N = new AtomicInteger();
  String url;

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

  @BeforeEach
  void freshDatabase() throws Exception {
    url = cluster.createDatabase("s2i_triggers_" + N.incrementAndGet());
  }

  @Override
  Optional<String> database() {
    return Optional.of(url);
  }

  @Test
  void twoServersSharingTheDatabaseRebuildOnceAndRefuseEachOthersReplays() throws Exception {
    String builder = "127.0.0.1:5000/s2i-it/builder:1";
    imageIds.put(builder, "sha256:" + "1".repeat(64));
    BuildServer a = start(tmp.resolve("a"));
    Api apiA = api;
    BuildServer b = start(tmp.resolve("b"));
    Api apiB = api;
    server = a;
    api = apiA;
    apiA.post("/api/v1/buildconfigs", config("shared", "Serial", "{\"type\": \"ImageChange\"}, " + github(SECRET), ""));
    // each server takes its baseline; b follows the configuration a stored, from the database
    assertThat(ApiTest.json(apiA.post("/api/v1/imagechange", "")).path("checked")).hasSize(1);
    assertThat(ApiTest.json(apiB.post("/api/v1/imagechange", "")).path("checked")).hasSize(1);
    imageIds.put(builder, "sha256:" + "2".repeat(64));
    ExecutorService both = Executors.newFixedThreadPool(2);
    Future<Api.Answer> fromA = both.submit(() -> apiA.post("/api/v1/imagechange", ""));
    Future<Api.Answer> fromB = both.submit(() -> apiB.post("/api/v1/imagechange", ""));
    JsonNode changesA = ApiTest.json(fromA.get()).path("changes");
    JsonNode changesB = ApiTest.json(fromB.get()).path("changes");
    both.shutdown();
    assertThat(changesA).as("both servers see the change").hasSize(1);
    assertThat(changesB).hasSize(1);
    int rebuilds = changesA.get(0).path("builds").size() + changesB.get(0).path("builds").size();
    assertThat(rebuilds).as("rebuilt once: " + changesA + " " + changesB).isEqualTo(1);
    waitIdle("shared");
    assertThat(builds("shared")).hasSize(1);
    // a delivery received by a is refused by b
    byte[] push = Deliveries.fixture("github/push.json");
    assertThat(Deliveries.send(Deliveries.github(a.url() + "/api/v1/webhooks/shared/github", "push", push, SECRET, "x-1"))
        .body()).contains("shared-2");
    assertThat(Deliveries.send(Deliveries.github(b.url() + "/api/v1/webhooks/shared/github", "push", push, SECRET, "x-1"))
        .body()).contains("received before");
  }
}
