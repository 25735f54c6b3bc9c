package io.s2i.internal.build;

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

  /** Registers an action, run when the build ends. */
  public synchronized void register(String what, Action action) {
    actions.push(new Entry(what, action));
  }

  /** Registers an action that only runs if the build fails: {@code keep} cancels it. */
  public synchronized Registration registerUnlessKept(String what, Action action) {
    Registration r = new Registration();
    actions.push(new Entry(what, () -> {
      if (!r.kept) {
        action.run();
      }
    }));
    return r;
  }

  /** A cleanup action that can be called off. */
  public static final class Registration {
    private volatile boolean kept;

    /** The resource stays: the action will not run. */
    public void keep() {
      kept = true;
    }
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
