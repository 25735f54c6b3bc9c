package io.s2i.internal.registry;

import io.s2i.api.EventSink;
import io.s2i.engine.EngineException;
import io.s2i.engine.RegistryException;
import java.time.Duration;

/**
 * Retries a registry transfer (a push, or one part of a pull) whose failure is transient (registry
 * unreachable, connection reset, 5xx), waiting longer each time; refused credentials, an unknown
 * repository or a blob that is not what its digest says fail at once.
 */
public final class TransferRetry {
  private final int attempts;
  private final Duration firstDelay;

  public TransferRetry(int attempts, Duration firstDelay) {
    this.attempts = attempts;
    this.firstDelay = firstDelay;
  }

  /** Three attempts, 2 s then 4 s apart: pushes and pulls alike. */
  public static TransferRetry standard() {
    return new TransferRetry(3, Duration.ofSeconds(2));
  }

  /** A single attempt. */
  public static TransferRetry none() {
    return new TransferRetry(1, Duration.ZERO);
  }

  /** One registry operation. */
  @FunctionalInterface
  public interface Operation<T> {
    T run() throws EngineException;
  }

  /** Told before each wait, so a user sees why a transfer stalls. */
  @FunctionalInterface
  public interface Notice {
    /**
     * @param failure what failed this time
     * @param nextAttempt the number of the attempt after the wait (2 for the first retry)
     * @param attempts the number of attempts in all
     */
    void retrying(RegistryException failure, Duration delay, int nextAttempt, int attempts);
  }

  /** A notice that warns: "FAILURE; retrying WHAT in N s (attempt K of M)". */
  public static Notice warning(EventSink events, String what) {
    return (failure, delay, next, all) -> events.warn(failure.getMessage() + "; retrying " + what + " in "
        + delay.toSeconds() + " s (attempt " + next + " of " + all + ")");
  }

  /** Runs {@code op}, again after a transient failure, warning through {@code events}. */
  public <T> T run(String what, EventSink events, Operation<T> op) throws EngineException, InterruptedException {
    return run(op, warning(events, what));
  }

  public <T> T run(Operation<T> op, Notice notice) throws EngineException, InterruptedException {
    Duration delay = firstDelay;
    for (int attempt = 1; ; attempt++) {
      try {
        return op.run();
      } catch (RegistryException e) {
        if (!e.transientFailure()) {
          throw e;
        }
        if (attempt >= attempts) {
          // Say that retrying was tried, so the user does not simply run the same command again.
          throw attempts == 1 ? e : new RegistryException(e.getMessage() + " (gave up after " + attempts
              + " attempts)", e.suggestion().orElse(null), true, e);
        }
        notice.retrying(e, delay, attempt + 1, attempts);
        Thread.sleep(delay.toMillis());
        delay = delay.multipliedBy(2);
      }
    }
  }
}
