package io.s2i.service.executor.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Copies the log of a build pod's containers ({@code fetch-input}, then {@code sti-build}) into the
 * build's log, as they write it. It follows each container's log with timestamps and, when the
 * stream ends before the container does (the API server or the connection went away), opens it
 * again and skips what it already copied by the kubelet's timestamps, so a line is copied once.
 * Runs on a thread of its own until both containers have ended and their logs are copied, or until
 * {@link #close}.
 */
final class PodLogFollower implements Runnable, AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final Supplier<Pod> pod;
  private final List<String> containers;
  private final Consumer<Line> sink;
  private final Duration pause;
  private volatile boolean closed;
  private volatile boolean podEnded;
  private volatile LogWatch current;
  private volatile String failure;

  /** One line of a container's log. */
  record Line(String container, String text) {}

  /**
   * A follower.
   *
   * @param pod the pod as last read (its name and container states); null until there is one
   * @param containers the containers to follow, in order
   */
  PodLogFollower(KubernetesClient client, String namespace, Supplier<Pod> pod, List<String> containers,
      Consumer<Line> sink, Duration pause) {
    this.client = client;
    this.namespace = namespace;
    this.pod = pod;
    this.containers = containers;
    this.sink = sink;
    this.pause = pause;
  }

  /** Why the log could not be read, if it could not (the last failure). */
  String failure() {
    return failure;
  }

  @Override
  public void run() {
    for (String container : containers) {
      if (!follow(container)) {
        return;
      }
    }
  }

  /** Copies one container's log; false when closed or the container never started. */
  private boolean follow(String container) {
    Cursor cursor = new Cursor();
    while (!closed) {
      Pod p = pod.get();
      ContainerStatus status = p == null ? null : status(p, container);
      boolean started = status != null && status.getState() != null
          && (status.getState().getRunning() != null || status.getState().getTerminated() != null);
      if (!started) {
        if (podEnded || p != null && podEnded(p)) {
          return true;
        }
        sleep();
        continue;
      }
      boolean terminated = status.getState().getTerminated() != null;
      String name = p.getMetadata().getName();
      try {
        if (terminated) {
          // Everything it wrote, once more: only lines after the cursor are copied.
          String all = client.pods().inNamespace(namespace).withName(name).inContainer(container)
              .usingTimestamps().getLog();
          copy(new StringReader(all == null ? "" : all), container, cursor);
          return true;
        }
        LogWatch watch = client.pods().inNamespace(namespace).withName(name).inContainer(container)
            .usingTimestamps().watchLog();
        current = watch;
        try (InputStream in = watch.getOutput()) {
          copy(new InputStreamReader(in, StandardCharsets.UTF_8), container, cursor);
        } finally {
          watch.close();
          current = null;
        }
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return false;
        }
        failure = e.getMessage();
      }
      sleep();
    }
    return false;
  }

  private void copy(Reader reader, String container, Cursor cursor) throws IOException {
    BufferedReader r = new BufferedReader(reader);
    cursor.rewind();
    String raw;
    while ((raw = r.readLine()) != null && !closed) {
      int space = raw.indexOf(' ');
      Instant at = null;
      if (space > 0) {
        try {
          at = Instant.parse(raw.substring(0, space));
        } catch (DateTimeParseException e) {
          at = null;
        }
      }
      String text = at == null ? raw : raw.substring(space + 1);
      if (cursor.admit(at)) {
        sink.accept(new Line(container, text));
      }
    }
  }

  private static ContainerStatus status(Pod p, String container) {
    if (p.getStatus() == null) {
      return null;
    }
    for (List<ContainerStatus> list : List.of(
        p.getStatus().getInitContainerStatuses() == null ? List.<ContainerStatus>of() : p.getStatus().getInitContainerStatuses(),
        p.getStatus().getContainerStatuses() == null ? List.<ContainerStatus>of() : p.getStatus().getContainerStatuses())) {
      for (ContainerStatus s : list) {
        if (container.equals(s.getName())) {
          return s;
        }
      }
    }
    return null;
  }

  private static boolean podEnded(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private void sleep() {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      closed = true;
      Thread.currentThread().interrupt();
    }
  }

  /** The build has ended: a container that has not started will not start; copy what the others wrote. */
  void podEnded() {
    podEnded = true;
  }

  @Override
  public void close() {
    closed = true;
    LogWatch w = current;
    if (w != null) {
      w.close();
    }
  }

  /**
   * How far a container's log was copied: the kubelet's timestamp of the last line copied and how
   * many lines carried exactly that timestamp (several lines can share one).
   */
  static final class Cursor {
    private Instant last;
    private int atLast;
    private int seenAtLast;

    /** Whether a line with this timestamp comes after what was copied; counts it if so. */
    boolean admit(Instant at) {
      if (at == null) {
        return true;
      }
      if (last == null || at.isAfter(last)) {
        last = at;
        atLast = 1;
        seenAtLast = 1;
        return true;
      }
      if (at.equals(last)) {
        seenAtLast++;
        if (seenAtLast > atLast) {
          atLast = seenAtLast;
          return true;
        }
        return false;
      }
      return false;
    }

    /** Starts a new read of the log from its beginning. */
    void rewind() {
      seenAtLast = 0;
    }
  }
}
