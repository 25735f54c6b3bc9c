package io.s2i.testing.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult;
import io.s2i.api.FailureReason;
import io.s2i.api.IncrementalSpec;
import io.s2i.api.OutputOptions;
import io.s2i.api.PullPolicy;
import io.s2i.api.S2iException;
import io.s2i.testing.engine.FakeBuilders;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A build is cancelled by interrupting the thread that runs it (S2i's documented way): it stops
 * the script, removes its containers and temporary directory, and fails with
 * {@link FailureReason#INTERRUPTED}, the thread's interrupt flag still set.
 */
class CancelTest extends FakeBuildTestBase {
  private final CountDownLatch hanging = new CountDownLatch(1);

  private void hangingBuilder(String ref, String script) {
    engine.add(ref, FakeBuilders.standard().program(FakeBuilders.SCRIPTS + "/" + script, p -> {
      p.out("hanging until killed");
      hanging.countDown();
      p.hang();
      return 0;
    }));
  }

  @Test
  void interruptingTheBuildThreadStopsAHangingAssemble() throws Exception {
    hangingBuilder("hang:1", "assemble");
    BuildRequest request = request(source(Map.of("a", "b")), "hang:1", "app:1").build();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread build = new Thread(() -> {
      try {
        s2i().build(request);
      } catch (Throwable e) {
        outcome.set(e);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    build.start();
    assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(engine.liveContainers()).hasSize(1);

    build.interrupt();
    build.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(build.isAlive()).as("build still running 10 s after the interrupt").isFalse();
    assertThat(outcome.get()).isInstanceOfSatisfying(S2iException.class,
        e -> assertThat(e.reason()).isEqualTo(FailureReason.INTERRUPTED));
    assertThat(stillInterrupted).isTrue();
    assertThat(engine.image("app:1")).isEmpty();
    // No container and no temporary directory left: checked after each test.
  }

  @Test
  void cancellingTheFutureOfABuildCleansUpToo() throws Exception {
    hangingBuilder("hang:1", "assemble");
    BuildRequest request = request(source(Map.of("a", "b")), "hang:1", "app:1").build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<BuildResult> future = pool.submit(() -> s2i().build(request));
      assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(future.cancel(true)).isTrue();
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("build ended after cancel").isTrue();
    }
  }

  @Test
  void interruptWhileSaveArtifactsRunsLeavesNeitherContainer() throws Exception {
    s2i().build(request(source(Map.of("a", "b")), BUILDER, "app:1").build());
    hangingBuilder("hang:1", "save-artifacts");
    // The previous image's own save-artifacts runs: give app:1 the hanging one.
    engine.add("app:1", engine.image("hang:1").orElseThrow().toBuilder());
    BuildRequest request = request(source(Map.of("a", "c")), "hang:1", "app:1")
        .incremental(new IncrementalSpec(Optional.empty(), PullPolicy.NEVER, false))
        .outputOptions(new OutputOptions(false, false))
        .build();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread build = new Thread(() -> {
      try {
        s2i().build(request);
      } catch (Throwable e) {
        outcome.set(e);
      }
    });
    build.start();
    assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();
    build.interrupt();
    build.join(TimeUnit.SECONDS.toMillis(15));
    assertThat(build.isAlive()).isFalse();
    assertThat(outcome.get()).isInstanceOfSatisfying(S2iException.class,
        e -> assertThat(e.reason()).isEqualTo(FailureReason.INTERRUPTED));
  }
}
