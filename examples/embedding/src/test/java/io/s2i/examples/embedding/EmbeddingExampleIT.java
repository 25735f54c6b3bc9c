package io.s2i.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildEvent;
import io.s2i.api.BuildResult;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.engine.ContainerEngine;
import io.s2i.testing.engine.EngineAvailability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedding guide's code ({@link EmbeddingExample}) against the real Docker engine: it builds
 * the example app with the example builder, reports a failure's reason, and a cancelled build
 * leaves no container, image or temporary directory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddingExampleIT {
  private static final Path REPO = Path.of(System.getProperty("s2i.repo.root", "../..")).toAbsolutePath().normalize();
  private static final String BUILDER = "localhost/s2i-example/shell-builder:latest";
  private static ContainerEngine engine;
  private final List<BuildEvent> events = new CopyOnWriteArrayList<>();
  private Set<String> containersBefore;
  private Set<String> danglingBefore;

  @BeforeAll
  static void openDocker() throws IOException {
    Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    engine = EngineAvailability.openOrSkip("docker", () -> EmbeddingExample.openEngine(Optional.of("docker")));
    EngineAvailability.requireImage(engine, BUILDER);
  }

  @AfterAll
  static void closeDocker() {
    if (engine != null) {
      engine.close();
    }
  }

  @BeforeEach
  void recordEngineState() throws Exception {
    containersBefore = Set.copyOf(docker("ps", "-aq", "--no-trunc"));
    danglingBefore = Set.copyOf(docker("images", "-q", "--no-trunc", "-f", "dangling=true"));
  }

  @AfterEach
  void nothingLeft() throws Exception {
    assertThat(docker("ps", "-aq", "--no-trunc")).as("containers left").allMatch(containersBefore::contains);
    assertThat(docker("images", "-q", "--no-trunc", "-f", "dangling=true")).as("untagged images left")
        .allMatch(danglingBefore::contains);
    try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(left.map(p -> p.getFileName().toString())).as("temporary directories left")
          .noneMatch(n -> n.startsWith("s2i"));
    }
  }

  @Test
  void buildsTheExampleAppWithTheExampleBuilder() throws Exception {
    String tag = "localhost/s2i-embedding-it/hello:" + random();
    try {
      BuildResult result = EmbeddingExample.build(engine, e -> {
        events.add(e);
        EmbeddingExample.print(e);
      }, REPO.resolve("examples/hello-app"), BUILDER, tag);

      assertThat(engine.images().inspect(tag)).get().satisfies(image -> {
        assertThat(image.id()).isEqualTo(result.imageId());
        assertThat(image.labels()).containsEntry("io.openshift.s2i.build.image", BUILDER);
        assertThat(image.env()).contains("GREETING=Hello from the embedding example");
      });
      assertThat(events).anyMatch(e -> e instanceof BuildEvent.ContainerOutput o
          && o.line().equals("---> Installing application source into /opt/app-root/src"));
      assertThat(result.steps()).extracting(BuildResult.StepTiming::step).contains("Assemble", "CommitContainer");
    } finally {
      engine.images().remove(tag);
    }
  }

  @Test
  void usageShowsTheBuildersUsageScript() throws Exception {
    List<String> usage = EmbeddingExample.usage(engine, events::add, BUILDER);
    assertThat(usage).isNotEmpty().isEqualTo(events.stream().filter(e -> e instanceof BuildEvent.ContainerOutput o
        && o.stream() == BuildEvent.Stream.STDOUT).map(e -> ((BuildEvent.ContainerOutput) e).line()).toList());
  }

  @Test
  void aFailureCarriesItsReason() {
    S2iException failure = null;
    try {
      EmbeddingExample.build(engine, events::add, REPO.resolve("examples/hello-app"),
          "127.0.0.1:1/s2i-embedding-it/missing:1", "localhost/s2i-embedding-it/never:1");
    } catch (S2iException e) {
      failure = e;
    }
    assertThat(failure).isNotNull();
    assertThat(failure.reason()).isEqualTo(FailureReason.PULL_BUILDER_IMAGE_FAILED);
    assertThat(EmbeddingExample.report(failure)).isEqualTo(3);
  }

  @Test
  void cancellingTheFutureStopsTheBuildAndLeavesNothing() throws Exception {
    Path source = Files.createDirectories(REPO.resolve("examples/embedding/target/it-work/slow-" + random()));
    Files.copy(REPO.resolve("examples/hello-app/app.sh"), source.resolve("app.sh"));
    Files.writeString(source.resolve("build.sh"), "echo 'build.sh: started'\nsleep 60\n");
    String tag = "localhost/s2i-embedding-it/cancelled:" + random();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    Future<BuildResult> build = EmbeddingExample.buildInBackground(pool, engine, e -> {
      events.add(e);
      if (e instanceof BuildEvent.ContainerOutput o && o.line().equals("build.sh: started")) {
        started.countDown();
      }
    }, source, BUILDER, tag);
    try {
      assertThat(started.await(30, TimeUnit.SECONDS)).as("build.sh started").isTrue();
      long cancelledAt = System.nanoTime();
      build.cancel(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).as("build ended after cancel").isTrue();
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - cancelledAt)).isLessThan(20);
      assertThat(engine.images().inspect(tag)).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theFutureOfAFinishedBuildHasItsResult() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<BuildResult> build = EmbeddingExample.buildInBackground(pool, engine, events::add,
          REPO.resolve("examples/hello-app"), "127.0.0.1:1/s2i-embedding-it/missing:1", "localhost/x:1");
      assertThat(build).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
          .havingCause().isInstanceOf(S2iException.class);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String random() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  private static List<String> docker(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("docker " + String.join(" ", args) + ": " + out).isZero();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }
}
