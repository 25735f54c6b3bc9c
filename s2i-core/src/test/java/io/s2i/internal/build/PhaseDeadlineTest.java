package io.s2i.internal.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.FailureReason;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PhaseDeadlineTest {
  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aPassedDeadlineEndsThePhaseAndIsItsOwnError() throws Exception {
    CountDownLatch ended = new CountDownLatch(1);
    try (PhaseDeadline deadline = PhaseDeadline.start("assemble in b", Optional.of(Duration.ofMillis(50)),
        "run.timeouts.assemble", ended::countDown)) {
      assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(deadline.expired()).isTrue();
      assertThat(deadline.error().reason()).isEqualTo(FailureReason.TIMED_OUT);
      assertThat(FailureReason.TIMED_OUT.exitCode()).isEqualTo(13);
      assertThat(deadline.error()).hasMessageContaining("assemble in b did not finish within 50ms (run.timeouts.assemble)");
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aClosedOrAbsentDeadlineNeverFires() throws Exception {
    CountDownLatch ended = new CountDownLatch(1);
    PhaseDeadline closed = PhaseDeadline.start("x", Optional.of(Duration.ofMillis(100)), "f", ended::countDown);
    closed.close();
    closed.close(); // twice, as a failing phase's clean-up does: returns at once
    PhaseDeadline none = PhaseDeadline.start("y", Optional.empty(), "f", ended::countDown);
    assertThat(ended.await(300, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(closed.expired()).isFalse();
    assertThat(none.expired()).isFalse();
    none.close();
  }

  @Test
  void durationsReadAsTheyAreWritten() {
    assertThat(PhaseDeadline.text(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(PhaseDeadline.text(Duration.ofSeconds(5400))).isEqualTo("1h30m");
    assertThat(PhaseDeadline.text(Duration.ofSeconds(2))).isEqualTo("2s");
  }
}
