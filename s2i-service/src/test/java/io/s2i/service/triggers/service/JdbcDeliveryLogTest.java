package io.s2i.service.triggers.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.service.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay log on the embedded database: once per key, racing inserts, the time to live and pruning. */
class JdbcDeliveryLogTest {
  @TempDir Path tmp;

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aDeliveryIsSeenOnceUntilItsTimeToLiveThenPruned() throws Exception {
    MovableClock clock = new MovableClock();
    try (Database db = Database.embedded(tmp, 8)) {
      JdbcDeliveryLog log = new JdbcDeliveryLog(db.dataSource(), Duration.ofDays(3), clock);
      assertThat(log.seen("app", "github", "d1")).isFalse();
      assertThat(log.seen("app", "github", "d1")).isTrue();
      assertThat(log.seen("other", "github", "d1")).as("per configuration").isFalse();
      assertThat(log.seen("app", "gitlab", "d1")).as("per provider").isFalse();

      // 20 redeliveries of one id at once: exactly one is new
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Boolean>> racing = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        racing.add(pool.submit(() -> log.seen("app", "github", "race")));
      }
      int fresh = 0;
      for (Future<Boolean> f : racing) {
        fresh += f.get() ? 0 : 1;
      }
      pool.shutdown();
      assertThat(fresh).isEqualTo(1);

      clock.now = clock.now.plus(Duration.ofDays(3)).plusSeconds(1);
      assertThat(log.seen("app", "github", "d1")).as("expired: a redelivery builds again").isFalse();
      assertThat(log.seen("app", "github", "d1")).isTrue();
      assertThat(log.prune()).as("the other expired rows").isEqualTo(3);
      assertThat(log.seen("app", "github", "race")).as("pruned").isFalse();
      log.forget("app", "github", "race");
      assertThat(log.seen("app", "github", "race")).as("forgotten").isFalse();
    }
  }
}
