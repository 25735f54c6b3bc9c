package io.s2i.service.triggers;

import io.s2i.service.triggers.webhook.Revision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, under the {@code SerialLatestOnly} run policy, which of a configuration's triggered
 * builds actually run: a storm of pushes (50 in a second) builds only the newest commit.
 *
 * <p>"Newest" is not simply "last received": senders deliver concurrently, so the push of commit
 * 49 may arrive after that of commit 50. Each push says which commit its ref pointed at before
 * ({@link Revision#previousCommit()}); this class remembers those links per configuration and so
 * knows that 49 is an ancestor of 50. Two calls, both made by the service's queue under its own
 * per-configuration lock:
 *
 * <ol>
 *   <li>{@link #admit} when a trigger arrives: a push whose commit is already queued or running,
 *       or is an ancestor of one, is dropped; otherwise it is enqueued, and the queued builds it
 *       is known to supersede are cancelled at once (reason {@code CancelledBuild});
 *   <li>{@link #next} when the configuration's running build ends: of the queued builds, the newest
 *       runs and the rest are cancelled. By then the whole storm has arrived, so the links are
 *       complete; where they say nothing (a force push, the generic hook, an image change, a
 *       manual start) the last to arrive is the newest, as in OpenShift's {@code SerialLatestOnly}.
 * </ol>
 *
 * <p>Under {@code Serial} and {@code Parallel} every trigger builds and this class is not asked.
 */
public final class PushCoalescer {
  /** How many push links are remembered per configuration by default. */
  public static final int DEFAULT_HISTORY = 512;
  private final int history;
  /** Per configuration: commit to the commit its ref pointed at before, oldest first. */
  private final Map<String, LinkedHashMap<String, String>> links = new HashMap<>();

  /** A coalescer remembering {@value #DEFAULT_HISTORY} pushes per configuration. */
  public PushCoalescer() {
    this(DEFAULT_HISTORY);
  }

  /** A coalescer remembering {@code history} pushes per configuration. */
  public PushCoalescer(int history) {
    if (history <= 0) {
      throw new IllegalArgumentException("history must be positive");
    }
    this.history = history;
  }

  /**
   * A build the configuration already has.
   *
   * @param buildId the build's name, such as {@code app-7}
   * @param commit the commit it builds, when it was started for one
   * @param running whether it runs already (a running build is never cancelled here)
   */
  public record ActiveBuild(String buildId, Optional<String> commit, boolean running) {
    public ActiveBuild {
      Objects.requireNonNull(buildId, "buildId");
      Objects.requireNonNull(commit, "commit");
    }
  }

  /** What to do with a new trigger. */
  public sealed interface Admission {
    /**
     * Enqueue the new build after cancelling {@code cancel}.
     *
     * @param cancel the queued builds it is known to supersede (their commits are its ancestors)
     */
    record Enqueue(List<String> cancel) implements Admission {
      public Enqueue {
        cancel = List.copyOf(cancel);
      }
    }

    /**
     * Build nothing: the same or a newer commit is already queued or running.
     *
     * @param reason a one-line reason for the webhook's answer and the log
     */
    record Drop(String reason) implements Admission {}
  }

  /**
   * Decides what a new trigger of {@code configuration} does.
   *
   * @param incoming the pushed revision; empty for a trigger without one (which is enqueued)
   * @param active the configuration's queued and running builds
   */
  public synchronized Admission admit(String configuration, Optional<Revision> incoming, List<ActiveBuild> active) {
    LinkedHashMap<String, String> known = links.computeIfAbsent(configuration, k -> new LinkedHashMap<>());
    if (incoming.isPresent()) {
      Revision revision = incoming.get();
      revision.previousCommit().ifPresent(previous -> remember(known, revision.commit(), previous));
      for (ActiveBuild build : active) {
        if (build.commit().isEmpty()) {
          continue;
        }
        String other = build.commit().get();
        String state = build.running() ? "running" : "queued";
        if (other.equals(revision.commit())) {
          return new Admission.Drop("commit " + revision.commit() + " is already " + state + " as build " + build.buildId());
        }
        if (isAncestor(known, revision.commit(), other)) {
          return new Admission.Drop("a newer push (commit " + other + ") is already " + state + " as build "
              + build.buildId());
        }
      }
    }
    List<String> cancel = new ArrayList<>();
    if (incoming.isPresent()) {
      for (ActiveBuild build : active) {
        if (!build.running() && build.commit().map(c -> isAncestor(known, c, incoming.get().commit())).orElse(false)) {
          cancel.add(build.buildId());
        }
      }
    }
    return new Admission.Enqueue(cancel);
  }

  /**
   * The choice of the queued build to run next.
   *
   * @param run the build to start
   * @param cancel the queued builds it supersedes: cancel them
   */
  public record Selection(String run, List<String> cancel) {
    public Selection {
      Objects.requireNonNull(run, "run");
      cancel = List.copyOf(cancel);
    }
  }

  /**
   * Chooses which of {@code configuration}'s queued builds runs next: the newest by the
   * remembered pushes, else the last to arrive; the others are cancelled.
   *
   * @param queued the queued builds in the order they were triggered (running ones are ignored)
   * @return empty when nothing is queued
   */
  public synchronized Optional<Selection> next(String configuration, List<ActiveBuild> queued) {
    Map<String, String> known = links.getOrDefault(configuration, new LinkedHashMap<>());
    List<ActiveBuild> waiting = queued.stream().filter(b -> !b.running()).toList();
    ActiveBuild chosen = null;
    for (int i = waiting.size() - 1; i >= 0 && chosen == null; i--) {
      ActiveBuild candidate = waiting.get(i);
      boolean superseded = candidate.commit().isPresent() && waiting.stream().anyMatch(other -> other != candidate
          && other.commit().map(c -> isAncestor(known, candidate.commit().get(), c)).orElse(false));
      if (!superseded) {
        chosen = candidate;
      }
    }
    if (chosen == null) {
      // Only possible when the links form a loop (a force push back and forth): arrival order decides.
      chosen = waiting.isEmpty() ? null : waiting.get(waiting.size() - 1);
    }
    if (chosen == null) {
      return Optional.empty();
    }
    ActiveBuild run = chosen;
    return Optional.of(new Selection(run.buildId(),
        waiting.stream().filter(b -> b != run).map(ActiveBuild::buildId).toList()));
  }

  /** Forgets a configuration (deleted, or its policy changed). */
  public synchronized void forget(String configuration) {
    links.remove(configuration);
  }

  private void remember(LinkedHashMap<String, String> known, String commit, String previous) {
    known.remove(commit);
    known.put(commit, previous);
    while (known.size() > history) {
      known.remove(known.keySet().iterator().next());
    }
  }

  /** Whether {@code ancestor} is reached from {@code descendant} by following remembered pushes back. */
  private static boolean isAncestor(Map<String, String> known, String ancestor, String descendant) {
    Set<String> visited = new HashSet<>();
    String at = known.get(descendant);
    while (at != null && visited.add(at)) {
      if (at.equals(ancestor)) {
        return true;
      }
      at = known.get(at);
    }
    return false;
  }
}
