package io.s2i.internal.build;

import io.s2i.api.BuildEvent;
import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult.StepTiming;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.engine.ContainerEngine;
import io.s2i.internal.source.PreparedSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The services and immutable inputs of one build, and the resources it holds. Steps return their
 * outputs; nothing here changes once the session is open except the cleanup list, timings and
 * what the source fetch hands over (the source and its scanned records).
 */
public final class BuildSession implements AutoCloseable {
  private final BuildRequest request;
  private final ContainerEngine engine;
  private final EventSink events;
  private final Workspace workspace;
  private final CleanupRegistry cleanup;
  private final List<StepTiming> timings = new ArrayList<>();
  private CompletableFuture<PreparedSource> source;
  private Thread sourceFetcher;
  private final java.util.concurrent.atomic.AtomicBoolean sourceFetchCancelled =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile java.util.Optional<io.s2i.internal.archive.SourceMirror> scannedSource = java.util.Optional.empty();

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
    return open(request, request.keepWorkspace(), engine, events);
  }

  /**
   * Opens a session for work that is not a build ({@code usage}): it has a workspace, steps and a
   * clean-up, but no {@link #request()}.
   */
  public static BuildSession openWithoutRequest(boolean keepWorkspace, ContainerEngine engine, EventSink events)
      throws S2iException {
    return open(null, keepWorkspace, engine, events);
  }

  private static BuildSession open(BuildRequest request, boolean keepWorkspace, ContainerEngine engine,
      EventSink events) throws S2iException {
    try {
      Workspace ws = Workspace.create(keepWorkspace);
      events.debug("Created temporary directory " + ws.root());
      return new BuildSession(request,
          ReproducibleContainers.forBuild(engine, request != null && request.sourceDateEpoch().isPresent()),
          events, ws);
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC,
          "creating a temporary directory failed: " + e.getMessage(),
          "check that TMPDIR (" + System.getProperty("java.io.tmpdir") + ") is writable", e);
    }
  }

  /** The build request; only a session opened for a build has one. */
  public BuildRequest request() {
    if (request == null) {
      throw new IllegalStateException("this session was opened without a build request");
    }
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

  /**
   * Starts fetching the source ({@code fetch}) on a thread of its own, so that a clone overlaps
   * the pull of the builder image; {@link #source()} waits for it.
   */
  public synchronized void prefetchSource(Step<PreparedSource> fetch) {
    if (source != null) {
      throw new IllegalStateException("the source is fetched already");
    }
    source = new CompletableFuture<>();
    sourceFetcher = new Thread(() -> {
      try {
        source.complete(step("FetchSource", fetch));
      } catch (Throwable e) {
        source.completeExceptionally(e);
      }
    }, "s2i-fetch-source");
    sourceFetcher.setDaemon(true);
    sourceFetcher.start();
  }

  /**
   * Keeps the source's mirror records taken by the fetch ({@code SourceDigestPrefetch}); set
   * before the fetch completes, so {@link #scannedSource()} has it once {@link #source()} returned.
   */
  public void scannedSource(io.s2i.internal.archive.SourceMirror scanned) {
    scannedSource = java.util.Optional.of(scanned);
  }

  /** The source's records taken by the fetch, if it took them. */
  public java.util.Optional<io.s2i.internal.archive.SourceMirror> scannedSource() {
    return scannedSource;
  }

  /** True once the build ended before the source fetch did: the fetch should stop. */
  public java.util.function.BooleanSupplier sourceFetchCancelled() {
    return sourceFetchCancelled::get;
  }

  /** The fetched source, once {@link #prefetchSource} has fetched it. */
  public PreparedSource source() throws S2iException, InterruptedException {
    CompletableFuture<PreparedSource> started;
    synchronized (this) {
      started = source;
    }
    if (started == null) {
      throw new IllegalStateException("prefetchSource was not called");
    }
    try {
      return started.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof S2iException s) {
        throw s;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new S2iException(FailureReason.GENERIC, "fetching the source failed: " + e.getCause(), null,
          e.getCause());
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
    stopSourceFetch();
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

  /**
   * A fetch still running (the build failed or was interrupted first) must not outlive its
   * directory: it is told to stop and waited for.
   */
  private void stopSourceFetch() {
    Thread fetcher;
    synchronized (this) {
      fetcher = sourceFetcher;
    }
    if (fetcher == null || !fetcher.isAlive()) {
      return;
    }
    sourceFetchCancelled.set(true);
    boolean interrupted = false;
    while (fetcher.isAlive()) {
      try {
        fetcher.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
