package io.s2i.service.store;

import io.s2i.service.model.TriggerCause;
import java.util.List;
import java.util.Optional;

/**
 * How the queue honours {@code SerialLatestOnly}: which of a configuration's queued builds runs
 * when none of its builds is running, and whether a new build cancels the queued ones at once.
 * The store asks it inside the transaction that holds the configuration's row lock, so it must
 * not touch the database.
 *
 * <p>{@link #ARRIVAL_ORDER} is OpenShift's rule: the last build queued wins. The service's
 * triggers install one that knows the order of pushed commits, which is not their arrival order
 * (see {@code io.s2i.service.triggers.service.CoalescingPolicy}).
 */
public interface LatestOnlyPolicy {

  /** Whether a new build with these causes cancels the configuration's queued builds when it is queued. */
  boolean cancelQueuedOnCreate(List<TriggerCause> causes);

  /**
   * Chooses the build to run of a configuration with nothing running.
   *
   * @param configName the configuration
   * @param queued its queued builds, oldest first (never empty)
   * @param lastStarted the configuration's most recently started build, if any (to drop queued
   *     builds it already supersedes)
   * @return the build to run, if any, and the queued builds to cancel
   */
  Choice choose(String configName, List<StoredBuild> queued, Optional<StoredBuild> lastStarted);

  /**
   * A decision.
   *
   * @param run the build to run; empty when every queued build is superseded
   * @param cancel the queued builds to cancel, with the reason each build records
   * @param reason the message the cancelled builds record
   */
  record Choice(Optional<StoredBuild> run, List<StoredBuild> cancel, String reason) {
    public Choice {
      cancel = List.copyOf(cancel);
    }
  }

  /** The last build queued runs; the others are cancelled, as OpenShift does. */
  LatestOnlyPolicy ARRIVAL_ORDER = new LatestOnlyPolicy() {
    @Override
    public boolean cancelQueuedOnCreate(List<TriggerCause> causes) {
      return true;
    }

    @Override
    public Choice choose(String configName, List<StoredBuild> queued, Optional<StoredBuild> lastStarted) {
      StoredBuild latest = queued.get(queued.size() - 1);
      return new Choice(Optional.of(latest), queued.subList(0, queued.size() - 1),
          "a newer build was queued (run policy SerialLatestOnly)");
    }
  };
}
