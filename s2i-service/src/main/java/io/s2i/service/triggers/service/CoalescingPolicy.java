package io.s2i.service.triggers.service;

import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.TriggerCause;
import io.s2i.service.store.LatestOnlyPolicy;
import io.s2i.service.store.StoredBuild;
import io.s2i.service.triggers.PushCoalescer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code SerialLatestOnly} for pushes: the newest commit runs, by the pushes' before-to-after
 * links, not by arrival.
 *
 * <p>Why not the queue's own rule (the last build queued runs, the others are cancelled when it is
 * queued): senders deliver concurrently and retry, so the push of commit 49 often arrives after
 * that of commit 50; cancelling on arrival would then cancel 50 and build 49, leaving an image
 * older than the branch. So a build queued for a push does not cancel the queued ones (the
 * {@link PushCoalescer} already dropped or cancelled those it knows to be older), and the choice
 * is made when the configuration's running build ends: by then the storm has arrived and the
 * links are complete. Builds without a pushed commit (by hand, image or configuration change)
 * keep the queue's rule, as do pushes whose order the links do not tell (a force push).
 *
 * <p>The links are read back from the queued builds' causes before each choice, so a server that
 * did not receive the pushes (another replica, or this one after a restart) orders them as well.
 */
public final class CoalescingPolicy implements LatestOnlyPolicy {
  private final PushCoalescer coalescer;

  /** A policy over {@code coalescer} (the one the webhooks admit pushes with). */
  public CoalescingPolicy(PushCoalescer coalescer) {
    this.coalescer = coalescer;
  }

  @Override
  public boolean cancelQueuedOnCreate(List<TriggerCause> causes) {
    return causes.stream().noneMatch(c -> TriggerCauses.pushedCommit(c).isPresent());
  }

  @Override
  public Choice choose(String configName, List<StoredBuild> queued, Optional<StoredBuild> lastStarted) {
    for (StoredBuild b : queued) {
      for (TriggerCause cause : causes(b)) {
        String commit = cause.details().get(TriggerCauses.COMMIT);
        String before = cause.details().get(TriggerCauses.BEFORE);
        if (commit != null && before != null) {
          coalescer.learn(configName, commit, before);
        }
      }
    }
    Optional<String> built = lastStarted.filter(b -> b.build().phase() != BuildPhase.Cancelled).flatMap(CoalescingPolicy::commit);
    List<StoredBuild> superseded = new ArrayList<>();
    List<StoredBuild> candidates = new ArrayList<>();
    for (StoredBuild b : queued) {
      Optional<String> commit = commit(b);
      if (built.isPresent() && commit.isPresent() && coalescer.supersedes(configName, built.get(), commit.get())) {
        superseded.add(b);
      } else {
        candidates.add(b);
      }
    }
    String reason = "a newer push was built or queued (run policy SerialLatestOnly)";
    if (candidates.isEmpty()) {
      return new Choice(Optional.empty(), superseded, reason);
    }
    Map<String, StoredBuild> byName = candidates.stream()
        .collect(Collectors.toMap(b -> b.build().name(), Function.identity()));
    List<PushCoalescer.ActiveBuild> waiting = candidates.stream()
        .map(b -> new PushCoalescer.ActiveBuild(b.build().name(), commit(b), false)).toList();
    PushCoalescer.Selection selection = coalescer.next(configName, waiting).orElseThrow();
    List<StoredBuild> cancel = new ArrayList<>(superseded);
    selection.cancel().stream().map(byName::get).forEach(cancel::add);
    return new Choice(Optional.of(byName.get(selection.run())), cancel, reason);
  }

  private static List<TriggerCause> causes(StoredBuild b) {
    return b.build().triggeredBy() == null ? List.of() : b.build().triggeredBy();
  }

  /** The commit a build is for: the one it was started for, else the one it built. */
  private static Optional<String> commit(StoredBuild b) {
    if (b.build().options() != null && b.build().options().commit() != null) {
      return Optional.of(b.build().options().commit());
    }
    return Optional.ofNullable(b.build().revision()).map(r -> r.commit());
  }
}
