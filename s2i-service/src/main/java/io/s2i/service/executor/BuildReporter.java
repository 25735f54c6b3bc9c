package io.s2i.service.executor;

import java.time.Duration;

/** What an executor tells the service while a build runs. Thread-safe; never blocks on the database. */
public interface BuildReporter {
  /** The build has started running (phase Running). */
  void running();

  /** A line for the build's log (secrets are masked on the way). */
  void log(String line);

  /** A step began. */
  void stepStarted(String step);

  /** A step ended. */
  void stepFinished(String step, Duration duration, boolean succeeded);
}
