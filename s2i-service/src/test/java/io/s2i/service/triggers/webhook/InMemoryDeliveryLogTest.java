package io.s2i.service.triggers.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryDeliveryLogTest {

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
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
  void aDeliveryIsSeenUntilItsTimeToLiveEnds() {
    TestClock clock = new TestClock();
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(Duration.ofHours(1), 100, clock);

    assertThat(log.seen("app", "github", "a")).isFalse();
    clock.now = clock.now.plus(Duration.ofMinutes(59));
    assertThat(log.seen("app", "github", "a")).isTrue();
    assertThat(log.seen("app", "gitlab", "a")).as("another provider").isFalse();
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    assertThat(log.seen("app", "github", "a")).as("expired, so recorded anew").isFalse();
    assertThat(log.size()).isEqualTo(2);
  }

  @Test
  void theOldestAreForgottenBeyondTheMaximum() {
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(Duration.ofDays(3), 3, new TestClock());
    for (String id : new String[] {"1", "2", "3", "4"}) {
      assertThat(log.seen("app", "github", id)).isFalse();
    }

    assertThat(log.size()).isEqualTo(3);
    assertThat(log.seen("app", "github", "4")).isTrue();
    assertThat(log.seen("app", "github", "1")).as("forgotten").isFalse();
  }

  @Test
  void concurrentDeliveriesOfOneIdBuildOnce() throws Exception {
    InMemoryDeliveryLog log = new InMemoryDeliveryLog();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(() -> log.seen("app", "github", "same"));
      }
      long firsts = 0;
      for (Future<Boolean> f : pool.invokeAll(calls)) {
        firsts += f.get() ? 0 : 1;
      }
      assertThat(firsts).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
