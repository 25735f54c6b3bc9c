package io.s2i.service;

import io.s2i.testing.db.PostgresCluster;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The queue scenarios on a real PostgreSQL server (a throwaway cluster, a database per test). */
class PostgresQueueIT extends QueueScenarios {
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
    url = cluster.createDatabase("s2i_" + N.incrementAndGet());
  }

  @Override
  Optional<String> database() {
    return Optional.of(url);
  }
}
