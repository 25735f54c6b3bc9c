package io.s2i.api;

/** Receives build events. Implementations must be thread-safe: container output arrives on engine threads. */
@FunctionalInterface
public interface EventSink {
  void accept(BuildEvent event);

  /** A sink that drops everything. */
  static EventSink discard() {
    return e -> {};
  }

  default void log(BuildEvent.Level level, String message) {
    accept(new BuildEvent.Log(level, message));
  }

  default void info(String message) {
    log(BuildEvent.Level.INFO, message);
  }

  default void detail(String message) {
    log(BuildEvent.Level.DETAIL, message);
  }

  default void debug(String message) {
    log(BuildEvent.Level.DEBUG, message);
  }

  default void warn(String message) {
    log(BuildEvent.Level.WARN, message);
  }
}
