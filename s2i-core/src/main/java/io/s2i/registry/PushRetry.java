package io.s2i.registry;

import io.s2i.api.EventSink;
import io.s2i.engine.EngineException;
import io.s2i.engine.RegistryException;
import java.time.Duration;

/**
 * Retries a registry operation whose failure is transient (registry unreachable, connection reset,
 * 5xx), waiting longer each time; refused credentials or an unknown repository fail at once.
 */
public final class PushRetry {
  private final int attempts;
  private final Duration firstDelay;
  private final EventSink events;

  public PushRetry(int attempts, Duration firstDelay, EventSink events) {
    this.attempts = attempts;
    this.firstDelay = firstDelay;
    this.events = events;
  }

  /** Three attempts, 2 s then 4 s apart. */
  public static PushRetry standard(EventSink events) {
    return new PushRetry(3, Duration.ofSeconds(2), events);
  }

  /** One registry operation. */
  @FunctionalInterface
  public interface Operation<T> {
    T run() throws EngineException;
  }

  public <T> T run(String what, Operation<T> op) throws EngineException, InterruptedException {
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
        events.warn(e.getMessage() + "; retrying " + what + " in " + delay.toSeconds() + " s (attempt "
            + (attempt + 1) + " of " + attempts + ")");
        Thread.sleep(delay.toMillis());
        delay = delay.multipliedBy(2);
      }
    }
  }
}
