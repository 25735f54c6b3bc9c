package io.s2i.internal.build;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.engine.ContainerHandle;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of one phase that runs a container: when it passes, the container is removed
 * (which ends its run and its output, however the script behaves) and the phase reports
 * {@link #error()} instead of whatever the ended run gave. Closing it before then calls it off.
 *
 * <pre>{@code
 * PhaseDeadline deadline = PhaseDeadline.start("assemble", limit, "run.timeouts.assemble", container);
 * try {
 *   status = container.run(...);
 * } finally {
 *   deadline.close();
 * }
 * if (deadline.expired()) {
 *   throw deadline.error();
 * }
 * }</pre>
 */
public final class PhaseDeadline implements AutoCloseable {
  /** One daemon thread for every deadline of the process: expiries are rare and quick to act on. */
  private static final class Timer {
    static final ScheduledExecutorService EXECUTOR = executor();

    private static ScheduledExecutorService executor() {
      ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "s2i-phase-deadline");
        t.setDaemon(true);
        return t;
      });
      e.setRemoveOnCancelPolicy(true);
      return e;
    }
  }

  private static final int PENDING = 0;
  private static final int FIRED = 1;
  private static final int CALLED_OFF = 2;

  private final String phase;
  private final Duration limit;
  private final String field;
  // Either the timer fires or close() calls it off, never both: a phase that ended just as its
  // deadline passed is not reported as timed out, and one whose container is being removed waits.
  private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.CountDownLatch removed = new java.util.concurrent.CountDownLatch(1);
  private final ScheduledFuture<?> timer;

  private PhaseDeadline(String phase, Duration limit, String field, Runnable onExpiry) {
    this.phase = phase;
    this.limit = limit;
    this.field = field;
    this.timer = limit == null ? null : Timer.EXECUTOR.schedule(() -> {
      if (!state.compareAndSet(PENDING, FIRED)) {
        return;
      }
      try {
        onExpiry.run();
      } finally {
        removed.countDown();
      }
    }, limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Starts the deadline of {@code phase}, which removes {@code container} when it passes.
   *
   * @param limit no deadline when empty
   * @param field the request field that sets it, named in the error
   */
  public static PhaseDeadline start(String phase, Optional<Duration> limit, String field, ContainerHandle container) {
    return start(phase, limit, field, container::close);
  }

  /** Starts a deadline that runs {@code onExpiry} (which must end the phase) when it passes. */
  public static PhaseDeadline start(String phase, Optional<Duration> limit, String field, Runnable onExpiry) {
    return new PhaseDeadline(phase, limit.orElse(null), field, onExpiry);
  }

  /** Whether the deadline passed (and the container was removed). */
  public boolean expired() {
    return state.get() == FIRED;
  }

  /** The phase's failure once the deadline passed. */
  public PhaseTimeoutException error() {
    return new PhaseTimeoutException(phase + " did not finish within " + text(limit) + " (" + field
        + "), so its container was stopped and removed",
        "make the script end (a process it starts that keeps running, or waits for input, holds it"
            + " open), or allow it more time with " + field);
  }

  /**
   * Calls the deadline off; when it passed already, waits until its container is removed, so that
   * the phase reports only once nothing of it is left (the build may end, and the process exit,
   * right after).
   */
  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    if (state.compareAndSet(PENDING, CALLED_OFF)) {
      timer.cancel(false);
      return;
    }
    if (state.get() != FIRED) {
      return; // called off before
    }
    try {
      removed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code 300 s} as {@code 5m}, {@code 90 s} as {@code 1m30s}. */
  public static String text(Duration d) {
    if (d == null) {
      return "no limit";
    }
    long s = d.toSeconds();
    if (s == 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      b.append(s % 3600 / 60).append('m');
    }
    if (s % 60 != 0) {
      b.append(s % 60).append('s');
    }
    return b.toString();
  }

  /** A phase ran past its deadline. */
  public static final class PhaseTimeoutException extends S2iException {
    private static final long serialVersionUID = 1L;

    PhaseTimeoutException(String message, String suggestion) {
      super(FailureReason.TIMED_OUT, message, suggestion);
    }
  }
}
