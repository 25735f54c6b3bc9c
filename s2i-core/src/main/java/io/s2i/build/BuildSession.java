package io.s2i.build;

import io.s2i.api.BuildEvent;
import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult.StepTiming;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.engine.ContainerEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The services and immutable inputs of one build, and the resources it holds. Steps return their
 * outputs; nothing here changes once the session is open except the cleanup list and timings.
 */
public final class BuildSession implements AutoCloseable {
  private final BuildRequest request;
  private final ContainerEngine engine;
  private final EventSink events;
  private final Workspace workspace;
  private final CleanupRegistry cleanup;
  private final List<StepTiming> timings = new ArrayList<>();

  private BuildSession(BuildRequest request, ContainerEngine engine, EventSink events, Workspace workspace) {
    this.request = request;
    this.engine = engine;
    this.events = events;
    this.workspace = workspace;
    this.cleanup = new CleanupRegistry(events);
  }

  /** Opens a session with a fresh workspace. */
  public static BuildSession open(BuildRequest request, ContainerEngine engine, EventSink events)
      throws S2iException {
    try {
      Workspace ws = Workspace.create(request.keepWorkspace());
      events.debug("Created temporary directory " + ws.root());
      return new BuildSession(request, engine, events, ws);
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC,
          "creating a temporary directory failed: " + e.getMessage(),
          "check that TMPDIR (" + System.getProperty("java.io.tmpdir") + ") is writable", e);
    }
  }

  public BuildRequest request() {
    return request;
  }

  public ContainerEngine engine() {
    return engine;
  }

  public EventSink events() {
    return events;
  }

  public Workspace workspace() {
    return workspace;
  }

  public CleanupRegistry cleanup() {
    return cleanup;
  }

  /** One timed step. */
  @FunctionalInterface
  public interface Step<T> {
    T run() throws S2iException, InterruptedException;
  }

  /** Runs a step between started and finished events and records how long it took. */
  public <T> T step(String name, Step<T> body) throws S2iException, InterruptedException {
    events.accept(new BuildEvent.StepStarted(name));
    long start = System.nanoTime();
    boolean ok = false;
    try {
      T result = body.run();
      ok = true;
      return result;
    } finally {
      Duration d = Duration.ofNanos(System.nanoTime() - start);
      synchronized (timings) {
        timings.add(new StepTiming(name, d));
      }
      events.accept(new BuildEvent.StepFinished(name, d, ok));
    }
  }

  /** The steps run so far with their durations. */
  public List<StepTiming> timings() {
    synchronized (timings) {
      return List.copyOf(timings);
    }
  }

  @Override
  public void close() {
    cleanup.close();
    try {
      workspace.close();
      if (workspace.kept()) {
        events.info("Temporary directory kept: " + workspace.root());
      }
    } catch (RuntimeException e) {
      events.warn("could not remove temporary directory " + workspace.root() + ": " + e.getMessage());
    }
  }
}
