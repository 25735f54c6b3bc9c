package io.s2i.service.executor;

import io.s2i.service.model.Build;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the steps a build reports into OpenShift's stages: {@code FetchInputs} (source and
 * uploads), {@code PullImages}, {@code Build} (everything the builder does) and {@code PushImage}.
 */
public final class StageRecorder {
  private final Clock clock;
  private final Map<String, Instant> started = new LinkedHashMap<>();
  private final List<Entry> finished = new ArrayList<>();
  private volatile boolean dirty;

  private record Entry(String stage, Build.Step step) {}

  /** A recorder on this clock. */
  public StageRecorder(Clock clock) {
    this.clock = clock;
  }

  /** The stage a step belongs to. */
  public static String stageOf(String step) {
    return switch (step) {
      case "FetchSource", "ReceiveBinary", "CloneSource" -> "FetchInputs";
      case "PullBuilderImage", "PullRuntimeImage", "PullPreviousImage" -> "PullImages";
      case "PushImage" -> "PushImage";
      default -> "Build";
    };
  }

  /** A step began. */
  public synchronized void started(String step) {
    started.put(step, clock.instant());
    dirty = true;
  }

  /** A step ended. */
  public synchronized void finished(String step, Duration duration, boolean ok) {
    Instant start = started.remove(step);
    if (start == null) {
      start = clock.instant().minus(duration);
    }
    finished.add(new Entry(stageOf(step), new Build.Step(step, start, duration.toMillis(), ok)));
    dirty = true;
  }

  /** Whether anything changed since the last {@link #snapshotIfChanged}. */
  public boolean dirty() {
    return dirty;
  }

  /** The stages so far, or null when nothing changed since the last call. */
  public synchronized List<Build.Stage> snapshotIfChanged() {
    if (!dirty) {
      return null;
    }
    dirty = false;
    return stages();
  }

  /** The stages so far, in the order their first step started. */
  public synchronized List<Build.Stage> stages() {
    Map<String, List<Build.Step>> byStage = new LinkedHashMap<>();
    List<Entry> sorted = new ArrayList<>(finished);
    sorted.sort((a, b) -> a.step().startTime().compareTo(b.step().startTime()));
    for (Entry e : sorted) {
      byStage.computeIfAbsent(e.stage(), k -> new ArrayList<>()).add(e.step());
    }
    List<Build.Stage> out = new ArrayList<>();
    for (Map.Entry<String, List<Build.Step>> e : byStage.entrySet()) {
      Instant first = e.getValue().get(0).startTime();
      Instant end = e.getValue().stream().map(s -> s.startTime().plusMillis(s.durationMs()))
          .max(Instant::compareTo).orElse(first);
      out.add(new Build.Stage(e.getKey(), first, Duration.between(first, end).toMillis(), e.getValue()));
    }
    return out;
  }
}
