package io.s2i.service.triggers.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ImageChangeWatcherTest {
  private static final String BUILDER = "127.0.0.1:5000/builders/java:17";
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String C = "sha256:" + "c".repeat(64);

  /** A resolver the test sets: an id, absent (null), or a failure. */
  private static final class FakeResolver implements ImageResolver {
    final Map<String, Object> answers = new ConcurrentHashMap<>();

    @Override
    public Optional<String> currentId(String image) throws ImageResolutionException {
      Object answer = answers.get(image);
      if (answer instanceof ImageResolutionException e) {
        throw e;
      }
      return Optional.ofNullable((String) answer);
    }
  }

  /** Records what it is told; may be told to fail. */
  private static final class RecordingListener implements ImageChangeListener {
    final List<ImageChange> changes = Collections.synchronizedList(new ArrayList<>());
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    volatile boolean fail;

    @Override
    public void imageChanged(ImageChange change) throws Exception {
      if (fail) {
        throw new IllegalStateException("queue unavailable");
      }
      changes.add(change);
    }

    @Override
    public void checkFailed(String image, String reason) {
      failures.add(image + ": " + reason);
    }
  }

  private final FakeResolver resolver = new FakeResolver();
  private final RecordingListener listener = new RecordingListener();
  private final ImageChangeWatcher watcher = new ImageChangeWatcher(resolver, listener);

  @Test
  void theFirstCheckSetsTheBaselineAndEachChangeIsReportedOnce() {
    resolver.answers.put(BUILDER, A);
    watcher.follow(BUILDER, Optional.empty());

    assertThat(watcher.checkAll()).isEmpty();
    resolver.answers.put(BUILDER, B);
    List<ImageChange> first = watcher.checkAll();
    List<ImageChange> again = watcher.checkAll();

    assertThat(first).hasSize(1);
    assertThat(first.get(0).image()).isEqualTo(BUILDER);
    assertThat(first.get(0).oldId()).contains(A);
    assertThat(first.get(0).newId()).isEqualTo(B);
    assertThat(again).isEmpty();
    assertThat(listener.changes).containsExactlyElementsOf(first);
    assertThat(watcher.knownId(BUILDER)).contains(B);
  }

  @Test
  void aChangeWhileTheServiceWasDownIsReportedAgainstTheLastBuiltId() {
    resolver.answers.put(BUILDER, B);
    watcher.follow(BUILDER, Optional.of(A));
    watcher.follow("localhost/app/runtime:1", Optional.of(C));
    resolver.answers.put("localhost/app/runtime:1", C);

    List<ImageChange> changes = watcher.checkAll();

    assertThat(changes).extracting(ImageChange::image, ImageChange::oldId, ImageChange::newId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(BUILDER, Optional.of(A), B));
  }

  @Test
  void anImageThatDisappearsIsNoChangeAndOneThatAppearsIs() {
    watcher.follow(BUILDER, Optional.empty());
    assertThat(watcher.checkAll()).as("absent at first: the baseline").isEmpty();

    resolver.answers.put(BUILDER, A);
    assertThat(watcher.checkAll()).extracting(ImageChange::oldId).containsExactly(Optional.empty());
    resolver.answers.remove(BUILDER);
    assertThat(watcher.checkAll()).as("deleted").isEmpty();
    resolver.answers.put(BUILDER, A);
    assertThat(watcher.checkAll()).as("back as it was").isEmpty();
    resolver.answers.put(BUILDER, B);
    assertThat(watcher.checkAll()).extracting(ImageChange::oldId).containsExactly(Optional.of(A));
  }

  @Test
  void aListenerThatFailsIsToldTheChangeAgainAtTheNextCheck() {
    resolver.answers.put(BUILDER, B);
    watcher.follow(BUILDER, Optional.of(A));
    listener.fail = true;

    assertThat(watcher.check(BUILDER)).isEmpty();
    assertThat(listener.failures).singleElement().asString().contains("reported again").contains("queue unavailable");
    listener.fail = false;
    assertThat(watcher.check(BUILDER)).map(ImageChange::newId).contains(B);
    assertThat(watcher.check(BUILDER)).isEmpty();
  }

  @Test
  void aFailedLookupKeepsTheBaseline() {
    resolver.answers.put(BUILDER, A);
    watcher.follow(BUILDER, Optional.of(A));
    resolver.answers.put(BUILDER, new ImageResolutionException("cannot reach registry 127.0.0.1:5000"));

    assertThat(watcher.checkAll()).isEmpty();
    assertThat(listener.failures).containsExactly(BUILDER + ": cannot reach registry 127.0.0.1:5000");
    resolver.answers.put(BUILDER, A);
    assertThat(watcher.checkAll()).isEmpty();
    assertThat(watcher.knownId(BUILDER)).contains(A);
  }

  @Test
  void concurrentChecksReportAChangeOnce() throws Exception {
    resolver.answers.put(BUILDER, A);
    watcher.follow(BUILDER, Optional.of(A));
    resolver.answers.put(BUILDER, B);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<java.util.concurrent.Future<Optional<ImageChange>>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        boolean interval = i % 2 == 0;
        results.add(pool.submit(() -> {
          go.await();
          return interval ? watcher.checkAll().stream().findFirst() : watcher.check(BUILDER);
        }));
      }
      go.countDown();
      long reported = 0;
      for (var r : results) {
        reported += r.get(10, TimeUnit.SECONDS).isPresent() ? 1 : 0;
      }
      assertThat(reported).isEqualTo(1);
      assertThat(listener.changes).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void onDemandChecksFindTheRepositorysTags() {
    String jdk17 = "127.0.0.1:5000/builders/java:17";
    String jdk21 = "127.0.0.1:5000/builders/java:21";
    String node = "127.0.0.1:5000/builders/node:20";
    for (String image : List.of(jdk17, jdk21, node)) {
      watcher.follow(image, Optional.of(A));
      resolver.answers.put(image, B);
    }

    List<ImageChange> changes = watcher.checkRepository("127.0.0.1:5000/builders/java");

    assertThat(changes).extracting(ImageChange::image).containsExactly(jdk17, jdk21);
    assertThat(watcher.check("not/followed:1")).isEmpty();
    assertThat(watcher.checkRepository("127.0.0.1:5000/builders/node:latest")).extracting(ImageChange::image)
        .containsExactly(node);
  }

  @Test
  void anUnfollowedImageIsNotChecked() {
    watcher.follow(BUILDER, Optional.of(A));
    watcher.unfollow(BUILDER);
    resolver.answers.put(BUILDER, B);

    assertThat(watcher.checkAll()).isEmpty();
    assertThat(watcher.followed()).isEmpty();
  }

  @Test
  void theIntervalChecksRunUntilClosed() throws Exception {
    CountDownLatch reported = new CountDownLatch(1);
    ImageChangeWatcher timed = new ImageChangeWatcher(resolver, change -> reported.countDown());
    resolver.answers.put(BUILDER, B);
    timed.follow(BUILDER, Optional.of(A));
    try {
      timed.start(Duration.ofMillis(50));
      assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      timed.close();
    }
    Thread.sleep(60);
    resolver.answers.put(BUILDER, C);
    Thread.sleep(150);
    assertThat(timed.knownId(BUILDER)).as("no check after close").contains(B);
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("s2i-image-change-watcher"));
  }
}
