package io.s2i.service.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.service.triggers.PushCoalescer.ActiveBuild;
import io.s2i.service.triggers.PushCoalescer.Admission;
import io.s2i.service.triggers.webhook.Revision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PushCoalescerTest {

  /** The commit id of push number {@code i} of a branch: c0, c1, ... as 40 hex digits. */
  private static String commit(int i) {
    return String.format("%040x", i + 0xc0ffee);
  }

  private static Revision push(int i) {
    return new Revision(Optional.empty(), "refs/heads/main", commit(i),
        i == 0 ? Optional.empty() : Optional.of(commit(i - 1)), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A configuration's queue, as the service keeps it, applying the coalescer's answers. */
  private static final class Queue {
    final List<ActiveBuild> builds = new ArrayList<>();
    final List<String> cancelled = new ArrayList<>();
    int next = 1;

    Admission offer(PushCoalescer coalescer, Optional<Revision> revision) {
      Admission admission = coalescer.admit("app", revision, builds);
      if (admission instanceof Admission.Enqueue enqueue) {
        builds.removeIf(b -> enqueue.cancel().contains(b.buildId()));
        cancelled.addAll(enqueue.cancel());
        builds.add(new ActiveBuild("app-" + next++, revision.map(Revision::commit), false));
      }
      return admission;
    }

    void startFirst() {
      ActiveBuild first = builds.remove(0);
      builds.add(0, new ActiveBuild(first.buildId(), first.commit(), true));
    }

    /** The running build ends: the coalescer picks the next, the rest are cancelled. */
    void finishRunningAndPickNext(PushCoalescer coalescer) {
      builds.removeIf(ActiveBuild::running);
      coalescer.next("app", builds).ifPresent(selection -> {
        builds.removeIf(b -> selection.cancel().contains(b.buildId()));
        cancelled.addAll(selection.cancel());
        ActiveBuild run = builds.stream().filter(b -> b.buildId().equals(selection.run())).findFirst().orElseThrow();
        builds.set(builds.indexOf(run), new ActiveBuild(run.buildId(), run.commit(), true));
      });
    }

    List<String> runningCommits() {
      return builds.stream().filter(ActiveBuild::running).map(b -> b.commit().orElse("-")).toList();
    }

    List<String> queuedCommits() {
      return builds.stream().filter(b -> !b.running()).map(b -> b.commit().orElse("-")).toList();
    }
  }

  @Test
  void fiftyPushesInOrderLeaveTheRunningBuildAndTheNewest() {
    PushCoalescer coalescer = new PushCoalescer();
    Queue queue = new Queue();
    queue.offer(coalescer, Optional.of(push(1)));
    queue.startFirst();

    for (int i = 2; i <= 50; i++) {
      assertThat(queue.offer(coalescer, Optional.of(push(i)))).isInstanceOf(Admission.Enqueue.class);
    }

    assertThat(queue.builds).hasSize(2);
    assertThat(queue.builds.get(0).running()).isTrue();
    assertThat(queue.queuedCommits()).containsExactly(commit(50));
    assertThat(queue.cancelled).hasSize(48);
  }

  @Test
  void fiftyPushesInAnyOrderQueueTheNewestCommit() {
    for (long seed = 1; seed <= 20; seed++) {
      List<Integer> order = new ArrayList<>();
      for (int i = 2; i <= 50; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(seed));
      PushCoalescer coalescer = new PushCoalescer();
      Queue queue = new Queue();
      queue.offer(coalescer, Optional.of(push(1)));
      queue.startFirst();

      for (int i : order) {
        queue.offer(coalescer, Optional.of(push(i)));
      }
      queue.finishRunningAndPickNext(coalescer);

      assertThat(queue.runningCommits()).as("seed " + seed).containsExactly(commit(50));
      assertThat(queue.queuedCommits()).as("seed " + seed).isEmpty();
      assertThat(queue.cancelled.size() + 1).as("every other queued build was cancelled").isEqualTo(queue.next - 2);
    }
  }

  @Test
  void anOlderPushArrivingLateIsDroppedWithTheReason() {
    PushCoalescer coalescer = new PushCoalescer();
    Queue queue = new Queue();
    queue.offer(coalescer, Optional.of(push(1)));
    queue.offer(coalescer, Optional.of(push(2)));
    queue.offer(coalescer, Optional.of(push(3)));

    Admission late = queue.offer(coalescer, Optional.of(push(2)));
    Admission again = queue.offer(coalescer, Optional.of(push(3)));

    assertThat(late).isInstanceOf(Admission.Drop.class);
    assertThat(((Admission.Drop) late).reason()).contains("a newer push (commit " + commit(3) + ") is already queued as build app-3");
    assertThat(((Admission.Drop) again).reason()).contains("is already queued as build app-3");
    assertThat(queue.queuedCommits()).containsExactly(commit(3));
  }

  @Test
  void aPushOlderThanTheRunningBuildIsDropped() {
    PushCoalescer coalescer = new PushCoalescer();
    Queue queue = new Queue();
    coalescer.admit("app", Optional.of(push(1)), List.of());
    queue.offer(coalescer, Optional.of(push(2)));
    queue.startFirst();

    Admission old = queue.offer(coalescer, Optional.of(push(1)));

    assertThat(((Admission.Drop) old).reason()).contains("is already running as build app-1");
  }

  @Test
  void withoutLinksArrivalOrderDecides() {
    PushCoalescer coalescer = new PushCoalescer();
    Queue queue = new Queue();
    queue.offer(coalescer, Optional.of(push(5)));
    Revision forced = new Revision(Optional.empty(), "refs/heads/main", commit(99), Optional.of(commit(42)),
        Optional.empty(), Optional.empty(), Optional.empty());

    assertThat(queue.offer(coalescer, Optional.of(forced))).isEqualTo(new Admission.Enqueue(List.of()));
    assertThat(queue.offer(coalescer, Optional.empty())).isEqualTo(new Admission.Enqueue(List.of()));
    assertThat(coalescer.next("app", queue.builds))
        .contains(new PushCoalescer.Selection("app-3", List.of("app-1", "app-2")));
    assertThat(coalescer.next("app", List.of())).isEmpty();
  }

  @Test
  void configurationsDoNotShareLinks() {
    PushCoalescer coalescer = new PushCoalescer();
    coalescer.admit("other", Optional.of(push(2)), List.of());

    Admission admission = coalescer.admit("app", Optional.of(push(1)),
        List.of(new ActiveBuild("app-9", Optional.of(commit(2)), false)));

    assertThat(admission).as("commit 2 is not known as 1's child here").isEqualTo(new Admission.Enqueue(List.of()));
  }

  @Test
  void historyIsBounded() {
    PushCoalescer coalescer = new PushCoalescer(3);
    for (int i = 1; i <= 10; i++) {
      coalescer.admit("app", Optional.of(push(i)), List.of());
    }

    Admission recent = coalescer.admit("app", Optional.of(push(8)), List.of(new ActiveBuild("b", Optional.of(commit(10)), false)));
    Admission forgotten = coalescer.admit("app", Optional.of(push(3)), List.of(new ActiveBuild("b", Optional.of(commit(10)), false)));

    assertThat(recent).isInstanceOf(Admission.Drop.class);
    assertThat(forgotten).as("beyond the history arrival order decides").isInstanceOf(Admission.Enqueue.class);
  }

  @Test
  void aQueuedNewerCommitRunsBeforeAnOlderOneThatArrivedLater() {
    PushCoalescer coalescer = new PushCoalescer();
    coalescer.admit("app", Optional.of(push(2)), List.of());
    coalescer.admit("app", Optional.of(push(3)), List.of());
    List<ActiveBuild> queued = List.of(new ActiveBuild("app-1", Optional.of(commit(3)), false),
        new ActiveBuild("app-2", Optional.of(commit(2)), false), new ActiveBuild("app-0", Optional.of(commit(0)), true));

    assertThat(coalescer.next("app", queued)).contains(new PushCoalescer.Selection("app-1", List.of("app-2")));
  }
}
