package io.s2i.build;

import io.s2i.api.EventSink;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resources registered as they are created and released in reverse order when the build ends,
 * whatever way it ends. A failing release is reported and does not stop the others.
 */
public final class CleanupRegistry implements AutoCloseable {
  /** One release action. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  private final Deque<Entry> actions = new ArrayDeque<>();
  private final EventSink events;

  private record Entry(String what, Action action) {}

  public CleanupRegistry(EventSink events) {
    this.events = events;
  }

  /** Registers an action; returns a handle that runs it early (and only once). */
  public synchronized void register(String what, Action action) {
    actions.push(new Entry(what, action));
  }

  @Override
  public void close() {
    while (true) {
      Entry e;
      synchronized (this) {
        e = actions.poll();
      }
      if (e == null) {
        return;
      }
      try {
        e.action().run();
      } catch (Exception ex) {
        events.warn("could not clean up " + e.what() + ": " + ex.getMessage());
      }
    }
  }
}
