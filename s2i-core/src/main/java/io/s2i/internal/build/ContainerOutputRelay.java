package io.s2i.internal.build;

import io.s2i.api.BuildEvent;
import io.s2i.api.EventSink;
import io.s2i.engine.OutputSink;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Forwards container output as events and keeps the last stderr lines for error messages. */
public final class ContainerOutputRelay implements OutputSink {
  private static final int TAIL_LINES = 20;
  private final EventSink events;
  private final Deque<String> stderrTail = new ArrayDeque<>();

  public ContainerOutputRelay(EventSink events) {
    this.events = events;
  }

  @Override
  public void stdout(String line) {
    events.accept(new BuildEvent.ContainerOutput(BuildEvent.Stream.STDOUT, line));
  }

  @Override
  public void stderr(String line) {
    synchronized (stderrTail) {
      stderrTail.addLast(line);
      if (stderrTail.size() > TAIL_LINES) {
        stderrTail.removeFirst();
      }
    }
    events.accept(new BuildEvent.ContainerOutput(BuildEvent.Stream.STDERR, line));
  }

  /** The last lines the container wrote to stderr. */
  public List<String> stderrTail() {
    synchronized (stderrTail) {
      return List.copyOf(stderrTail);
    }
  }
}
