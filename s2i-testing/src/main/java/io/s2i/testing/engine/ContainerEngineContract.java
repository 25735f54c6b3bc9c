package io.s2i.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.PullPolicy;
import io.s2i.engine.ArchiveSource;
import io.s2i.engine.CommitSpec;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.EngineException;
import io.s2i.engine.ExitStatus;
import io.s2i.engine.ImageNotFoundException;
import io.s2i.engine.ImageInfo;
import io.s2i.engine.RegistryException;
import io.s2i.engine.TransferListener;
import io.s2i.internal.image.layout.DockerArchiveReader;
import io.s2i.internal.image.layout.DockerArchiveWriter;
import io.s2i.internal.image.layout.ImageArchive;
import io.s2i.internal.image.layout.ReproducibleImage;
import io.s2i.testing.registry.RegistryServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ContainerEngine} must show, as tests against a real engine. An
 * engine's integration test extends this class, supplies the engine, and says how to tell whether
 * a container still exists.
 *
 * <p>The image transfers (export, load, push) are protected so that an engine's test may leave
 * them to a test that proves them otherwise (over another transport, say), saying where.
 *
 * <p>Needs {@link #baseImage()} (a Debian-like image with {@code sh}, {@code tar}, {@code stat})
 * and no registry: names that must not exist live under {@code 127.0.0.1:1}, where a pull fails
 * at once. Every container and image a test makes is removed after it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ContainerEngineContract {
  /** A repository no engine has and no registry serves. */
  protected static final String MISSING_IMAGE = "127.0.0.1:1/s2i/missing:latest";

  private final Deque<ContainerHandle> containers = new ArrayDeque<>();
  // Tags are removed before ids: an image with several names cannot be removed by id.
  private final List<String> imageTags = new ArrayList<>();
  private final List<String> imageIds = new ArrayList<>();

  /** The engine under test; open for the whole class. */
  protected abstract ContainerEngine engine();

  /** Whether a container (by id) exists in the engine, running or not. */
  protected abstract boolean containerExists(String id) throws Exception;

  /** An image with a POSIX shell, GNU tar and coreutils; present before the tests run. */
  protected String baseImage() {
    return "localhost/s2i-test/base:latest";
  }

  @BeforeEach
  void requireBaseImage() {
    EngineAvailability.requireImage(engine(), baseImage());
  }

  @AfterEach
  void removeWhatTheTestMade() throws EngineException {
    while (!containers.isEmpty()) {
      containers.pop().close();
    }
    for (String ref : imageTags) {
      engine().images().remove(ref);
    }
    for (String id : imageIds) {
      engine().images().remove(id);
    }
  }

  // ---- images -----------------------------------------------------------------------------

  @Test
  void inspectOfPresentImageReturnsItsConfiguration() throws Exception {
    ImageInfo base = engine().images().inspect(baseImage()).orElseThrow();
    assertThat(base.id()).startsWith("sha256:");
    assertThat(base.env()).anyMatch(e -> e.startsWith("PATH="));
    assertThat(base.size()).isPositive();
    assertThat(base.layers()).isNotEmpty().allMatch(l -> l.startsWith("sha256:"));

    ImageInfo labelled = inspect(commitFixture(Optional.empty()));
    assertThat(labelled.labels()).containsEntry("io.s2i.contract", "yes");
    assertThat(labelled.env()).contains("S2I_CONTRACT=1");
    assertThat(labelled.user()).isEqualTo("1001");
    assertThat(labelled.workingDir()).isEqualTo("/tmp");
    assertThat(labelled.cmd()).containsExactly("/bin/sh", "-c", "echo committed");
  }

  @Test
  void inspectOfMissingImageIsEmpty() throws Exception {
    assertThat(engine().images().inspect(MISSING_IMAGE)).isEmpty();
  }

  @Test
  void ensureNeverFindsLocalImageAndRefusesMissingOne() throws Exception {
    assertThat(engine().images().ensure(baseImage(), PullPolicy.NEVER).id())
        .isEqualTo(inspect(baseImage()).id());
    assertThatThrownBy(() -> engine().images().ensure(MISSING_IMAGE, PullPolicy.NEVER))
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessageContaining(MISSING_IMAGE);
  }

  @Test
  void ensureIfNotPresentOfUnpullableImageNamesIt() {
    assertThatThrownBy(() -> engine().images().ensure(MISSING_IMAGE, PullPolicy.IF_NOT_PRESENT))
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessageContaining(MISSING_IMAGE)
        .message()
        .doesNotContain("\n");
  }

  @Test
  void ensureAlwaysFallsBackToLocalImageWhenPullFails() throws Exception {
    String local = "127.0.0.1:1/s2i/contract-local:" + random();
    engine().images().tag(baseImage(), local);
    imageTags.add(local);
    assertThat(engine().images().ensure(local, PullPolicy.ALWAYS).id())
        .isEqualTo(inspect(baseImage()).id());
  }

  @Test
  void tagAddsANameAndRemoveTakesItAwayTwice() throws Exception {
    String ref = "localhost/s2i-test/contract-tag:" + random();
    imageTags.add(ref);
    engine().images().tag(inspect(baseImage()).id(), ref);
    assertThat(inspect(ref).id()).isEqualTo(inspect(baseImage()).id());

    engine().images().remove(ref);
    assertThat(engine().images().inspect(ref)).isEmpty();
    assertThatCode(() -> engine().images().remove(ref)).doesNotThrowAnyException();
    assertThat(engine().images().inspect(baseImage())).isPresent();
  }

  @Test
  protected void exportWritesADockerArchiveWhoseConfigDigestIsTheImageId(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    String id = inspect(baseImage()).id();
    engine().images().export(id, tar);
    ImageArchive image = DockerArchiveReader.read(new ByteArrayInputStream(tar.toByteArray()),
        Files.createDirectories(dir.resolve("x")));
    assertThat(image.id()).isEqualTo(id);
    assertThat(image.layers()).isNotEmpty();
  }

  @Test
  protected void loadKeepsTheConfigSoTheIdIsItsDigest(@TempDir Path dir) throws Exception {
    String committed = commitFixture(Optional.empty());
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    engine().images().export(committed, tar);
    ImageArchive image = DockerArchiveReader.read(new ByteArrayInputStream(tar.toByteArray()),
        Files.createDirectories(dir.resolve("x")));
    ImageArchive changed = ReproducibleImage.normalise(image, Instant.ofEpochSecond(1_000_000_000),
        Files.createDirectories(dir.resolve("n")));
    assertThat(changed.id()).isNotEqualTo(committed);
    String ref = "localhost/s2i-test/contract-load:" + random();
    Path archive = dir.resolve("load.tar");
    DockerArchiveWriter.write(changed, archive, Optional.of(ref));
    imageTags.add(ref);
    imageIds.add(changed.id());
    try (var in = Files.newInputStream(archive)) {
      engine().images().load(in);
    }
    assertThat(inspect(ref).id()).isEqualTo(changed.id());
  }

  @Test
  protected void pushReturnsTheDigestTheRegistryStores(@TempDir Path dir) throws Exception {
    requireRegistryPrograms();
    try (RegistryServer registry = RegistryServer.plain(dir)) {
      String ref = registry.address() + "/contract/push:" + random();
      engine().images().tag(inspect(baseImage()).id(), ref);
      imageTags.add(ref);
      List<String> finished = new java.util.concurrent.CopyOnWriteArrayList<>();
      String digest = engine().images().push(ref, Optional.empty(),
          (layer, status, current, total, done) -> {
            if (done) {
              finished.add(layer);
            }
          });
      assertThat(digest).startsWith("sha256:");
      assertThat(registry.manifestDigest("contract/push", ref.substring(ref.lastIndexOf(':') + 1)))
          .contains(digest);
      assertThat(finished).isNotEmpty();
    }
  }

  @Test
  void pushToUnreachableRegistryIsATransientRegistryFailure() throws Exception {
    String ref = "127.0.0.1:1/s2i/contract-push:" + random();
    engine().images().tag(inspect(baseImage()).id(), ref);
    imageTags.add(ref);
    assertThatThrownBy(() -> engine().images().push(ref, Optional.empty(), TransferListener.none()))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.transientFailure()).isTrue();
          assertThat(e.getMessage()).contains("127.0.0.1:1").doesNotContain("\n");
        });
  }

  private static void requireRegistryPrograms() {
    EngineAvailability.requireOrSkip(RegistryServer.available(),
        "docker-registry, openssl, htpasswd (apache2-utils) or curl is missing");
  }

  // ---- running ----------------------------------------------------------------------------

  @Test
  void tarOnStdinIsUnpackedByTheContainersTar() throws Exception {
    ContainerHandle c =
        create(shell("tar -C /tmp -xf - && cat /tmp/x/hello.txt").withStdin().build());
    RecordingSink sink = new RecordingSink();
    ExitStatus status = c.run(Optional.of(helloArchive()), sink);
    assertThat(status.code()).isZero();
    assertThat(sink.lines())
        .containsExactly(new RecordingSink.Line(RecordingSink.Stream.STDOUT, "hello from tar"));
  }

  @Test
  void stdinIsDeliveredWholeAndThenClosed() throws Exception {
    // wc only prints after end of file: this hangs (and times out) if stdin is never closed.
    long size = 3L * 1024 * 1024 + 17;
    ContainerHandle c = create(shell("wc -c").withStdin().build());
    RecordingSink sink = new RecordingSink();
    assertThat(c.run(Optional.of(TestArchives.bytes(size)), sink).code()).isZero();
    assertThat(sink.stdout()).containsExactly(Long.toString(size));
  }

  // Repeated: an empty input ends at once, which races the attach that carries it.
  @RepeatedTest(5)
  void openStdinWithoutInputIsClosedAtOnce() throws Exception {
    ContainerHandle c = create(shell("cat; echo done").withStdin().build());
    RecordingSink sink = new RecordingSink();
    assertThat(c.run(Optional.empty(), sink).code()).isZero();
    assertThat(sink.stdout()).containsExactly("done");
  }

  @Test
  void exitCodeIsPropagated() throws Exception {
    ContainerHandle c = create(shell("exit 7").build());
    ExitStatus status = c.run(Optional.empty(), new RecordingSink());
    assertThat(status.code()).isEqualTo(7);
    assertThat(status.succeeded()).isFalse();
    assertThat(status.oomKilled()).isFalse();
  }

  @Test
  void earlyExitWhileStdinIsWrittenReportsTheRealExitCode() throws Exception {
    // The container never reads its input; the engine must not hang on the broken pipe.
    ContainerHandle c = create(shell("echo gone; exit 3").withStdin().build());
    RecordingSink sink = new RecordingSink();
    ExitStatus status = c.run(Optional.of(TestArchives.bytes(64L * 1024 * 1024)), sink);
    assertThat(status.code()).isEqualTo(3);
    assertThat(sink.stdout()).containsExactly("gone");
  }

  @Test
  void aHostnameGivenIsTheContainersHostnameAndItsHostnameVariable() throws Exception {
    // Engines also make it the kernel's host name and /etc/hostname (ReproducibleIT reads those).
    ContainerHandle named = create(shell("echo \"$HOSTNAME\"").build().withHostname("s2i-fixed"));
    RecordingSink sink = new RecordingSink();
    assertThat(named.run(Optional.empty(), sink).code()).isZero();
    assertThat(sink.stdout()).containsExactly("s2i-fixed");
    // Without one, each container gets a name of its own (Docker: its id).
    ContainerHandle unnamed = create(shell("echo \"$HOSTNAME\"").build());
    RecordingSink other = new RecordingSink();
    assertThat(unnamed.run(Optional.empty(), other).code()).isZero();
    assertThat(other.stdout()).hasSize(1).doesNotContain("s2i-fixed");
  }

  @Test
  void stderrLinesGoToStderrAndPartialLastLineIsKept() throws Exception {
    ContainerHandle c = create(shell("echo oops >&2; printf 'one\\ntwo'").build());
    RecordingSink sink = new RecordingSink();
    assertThat(c.run(Optional.empty(), sink).code()).isZero();
    assertThat(sink.stderr()).containsExactly("oops");
    assertThat(sink.stdout()).containsExactly("one", "two");
  }

  @Test
  void outputLinesKeepTheirLeadingSpaces() throws Exception {
    // Upstream trims them from the scripts' stdout; s2i-java shows lines as the script wrote them.
    ContainerHandle c = create(shell("printf '  indented\\n\\ttabbed\\n'; printf '    err\\n' >&2").build());
    RecordingSink sink = new RecordingSink();
    assertThat(c.run(Optional.empty(), sink).code()).isZero();
    assertThat(sink.stdout()).containsExactly("  indented", "\ttabbed");
    assertThat(sink.stderr()).containsExactly("    err");
  }

  @Test
  void utf8OutputIsDecoded() throws Exception {
    ContainerHandle c = create(shell("printf '\\303\\251t\\303\\251\\n'").build());
    RecordingSink sink = new RecordingSink();
    c.run(Optional.empty(), sink);
    assertThat(sink.stdout()).containsExactly("été");
  }

  @Test
  void filesUnpackedByNonRootUserAreOwnedByIt() throws Exception {
    ContainerHandle c =
        create(
            shell("tar -C /tmp -xf - && stat -c %u /tmp/x/hello.txt")
                .withStdin()
                .user("1001")
                .build());
    RecordingSink sink = new RecordingSink();
    assertThat(c.run(Optional.of(helloArchive()), sink).code()).isZero();
    assertThat(sink.stdout()).containsExactly("1001");
  }

  @Test
  void envUserAndWorkingDirAreApplied() throws Exception {
    ContainerHandle c =
        create(
            shell("echo \"$GREETING\"; id -u; pwd")
                .env("GREETING=hi there")
                .user("1001")
                .workingDir("/var")
                .build());
    RecordingSink sink = new RecordingSink();
    assertThat(c.run(Optional.empty(), sink).code()).isZero();
    assertThat(sink.stdout()).containsExactly("hi there", "1001", "/var");
  }

  @Test
  void entrypointOverrideIsHonoured() throws Exception {
    ContainerHandle c =
        create(new SpecBuilder(baseImage()).entrypoint("/bin/sh", "-c").cmd("echo hi").build());
    RecordingSink sink = new RecordingSink();
    assertThat(c.run(Optional.empty(), sink).code()).isZero();
    assertThat(sink.stdout()).containsExactly("hi");
  }

  @Test
  void copyInBeforeRunPutsFilesTheCommandReads() throws Exception {
    ContainerHandle c = create(shell("cat /tmp/x/hello.txt").build());
    c.copyIn("/tmp", helloArchive());
    RecordingSink sink = new RecordingSink();
    assertThat(c.run(Optional.empty(), sink).code()).isZero();
    assertThat(sink.stdout()).containsExactly("hello from tar");
  }

  @Test
  void copyInToMissingDirectoryFails() throws Exception {
    ContainerHandle c = create(shell("true").build());
    assertThatThrownBy(() -> c.copyIn("/no/such/dir", helloArchive()))
        .isInstanceOf(EngineException.class);
  }

  @Test
  void copyOutReturnsATarOfThePathOrFalseWhenMissing() throws Exception {
    ContainerHandle c = create(shell("echo data > /tmp/out.txt").build());
    assertThat(c.run(Optional.empty(), new RecordingSink()).code()).isZero();

    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    assertThat(c.copyOut("/tmp/out.txt", tar)).isTrue();
    assertThat(TestArchives.read(tar.toByteArray())).containsExactly(Map.entry("out.txt", "data\n"));

    ByteArrayOutputStream none = new ByteArrayOutputStream();
    assertThat(c.copyOut("/tmp/no-such-file", none)).isFalse();
  }

  @Test
  void createFromMissingImageFailsWithoutPulling() {
    assertThatThrownBy(() -> create(new SpecBuilder(MISSING_IMAGE).cmd("true").build()))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(MISSING_IMAGE);
  }

  @Test
  void badBindSpecIsRejected() {
    assertThatThrownBy(() -> create(shell("true").bind("relative-only").build()))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("relative-only");
  }

  @Test
  void interruptStopsWaitingPromptly() throws Exception {
    ContainerHandle c = create(shell("sleep 60").withStdin().build());
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread runner =
        new Thread(
            () -> {
              try {
                c.run(Optional.of(TestArchives.bytes(1024)), new RecordingSink());
                outcome.set(new AssertionError("run returned although interrupted"));
              } catch (Throwable t) {
                outcome.set(t);
              }
            });
    runner.start();
    Thread.sleep(1500);
    runner.interrupt();
    runner.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(runner.isAlive()).as("run still blocked 10 s after the interrupt").isFalse();
    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    // What the caller does next: close the handle, which kills the container.
    c.close();
    assertThat(containerExists(c.id())).isFalse();
  }

  // ---- lifecycle --------------------------------------------------------------------------

  @Test
  void closeRemovesTheContainerAndMayBeRepeated() throws Exception {
    ContainerHandle c = create(shell("sleep 60").build());
    assertThat(containerExists(c.id())).isTrue();
    c.close();
    assertThat(containerExists(c.id())).isFalse();
    assertThatCode(c::close).doesNotThrowAnyException();
  }

  @Test
  void closeOfFinishedContainerRemovesIt() throws Exception {
    ContainerHandle c = create(shell("true").build());
    c.run(Optional.empty(), new RecordingSink());
    c.close();
    assertThat(containerExists(c.id())).isFalse();
  }

  // ---- commit -----------------------------------------------------------------------------

  @Test
  void commitWritesExactlyTheGivenConfiguration() throws Exception {
    ImageInfo base = inspect(baseImage());
    ImageInfo image = inspect(commitFixture(Optional.empty()));

    assertThat(image.cmd()).containsExactly("/bin/sh", "-c", "echo committed");
    // The container ran with entrypoint /bin/sh -c; an empty one in the spec must not inherit it.
    assertThat(image.entrypoint()).isEmpty();
    assertThat(image.user()).isEqualTo("1001");
    assertThat(image.env()).startsWith("S2I_CONTRACT=1");
    assertThat(image.env()).containsAll(base.env());
    // Engines add the container's labels (those of its image) to the committed ones.
    Map<String, String> expectedLabels = new HashMap<>(base.labels());
    expectedLabels.put("io.s2i.contract", "yes");
    expectedLabels.put("io.s2i.contract.other", "two words");
    assertThat(image.labels()).isEqualTo(expectedLabels);
  }

  @Test
  void commitKeepsTheFilesystemAndRunsTheNewCommand() throws Exception {
    String id = commitFixture(Optional.empty());
    ContainerHandle c = create(new SpecBuilder(id).build());
    RecordingSink sink = new RecordingSink();
    assertThat(c.run(Optional.empty(), sink).code()).isZero();
    assertThat(sink.stdout()).containsExactly("committed");

    ContainerHandle check = create(new SpecBuilder(id).cmd("cat", "/tmp/marker").build());
    RecordingSink marker = new RecordingSink();
    check.run(Optional.empty(), marker);
    assertThat(marker.stdout()).containsExactly("made by the contract");
  }

  @Test
  void commitWithRepositoryTagsTheImage() throws Exception {
    String ref = "localhost/s2i-test/contract-commit:" + random();
    imageTags.add(ref);
    String id = commitFixture(Optional.of(ref));
    assertThat(inspect(ref).id()).isEqualTo(id);
  }

  // ---- helpers ----------------------------------------------------------------------------

  /**
   * Runs a container (entrypoint {@code /bin/sh -c}, working directory {@code /tmp}) that writes
   * {@code /tmp/marker}, and commits it with a known configuration; returns the image id.
   */
  private String commitFixture(Optional<String> repository) throws Exception {
    ContainerHandle c =
        create(
            new SpecBuilder(baseImage())
                .entrypoint("/bin/sh", "-c")
                .cmd("echo 'made by the contract' > /tmp/marker")
                .workingDir("/tmp")
                .build());
    assertThat(c.run(Optional.empty(), new RecordingSink()).code()).isZero();
    String id =
        c.commit(
            new CommitSpec(
                repository,
                List.of("/bin/sh", "-c", "echo committed"),
                List.of(),
                "1001",
                List.of("S2I_CONTRACT=1"),
                Map.of("io.s2i.contract", "yes", "io.s2i.contract.other", "two words")));
    imageIds.add(id);
    return id;
  }

  private ImageInfo inspect(String ref) throws EngineException {
    return engine().images().inspect(ref).orElseThrow(() -> new AssertionError("no image " + ref));
  }

  /** Creates a container and registers it for removal after the test. */
  protected ContainerHandle create(ContainerSpec spec) throws EngineException {
    ContainerHandle c = engine().containers().create(spec);
    containers.push(c);
    return c;
  }

  /** A container running {@code script} with {@code /bin/sh -c} in the base image. */
  protected SpecBuilder shell(String script) {
    return new SpecBuilder(baseImage()).cmd("/bin/sh", "-c", script);
  }

  private static ArchiveSource helloArchive() {
    return TestArchives.files(Map.of("x/hello.txt", "hello from tar\n"));
  }

  private static String random() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  /** Builds {@link ContainerSpec}s for tests, with the name prefix {@code s2i-contract}. */
  protected static final class SpecBuilder {
    private final String image;
    private String user = "";
    private final List<String> env = new ArrayList<>();
    private List<String> entrypoint = List.of();
    private List<String> cmd = List.of();
    private Optional<String> workingDir = Optional.empty();
    private boolean openStdin;
    private final List<String> binds = new ArrayList<>();

    SpecBuilder(String image) {
      this.image = image;
    }

    public SpecBuilder user(String value) {
      user = value;
      return this;
    }

    public SpecBuilder env(String entry) {
      env.add(entry);
      return this;
    }

    public SpecBuilder entrypoint(String... args) {
      entrypoint = List.of(args);
      return this;
    }

    public SpecBuilder cmd(String... args) {
      cmd = List.of(args);
      return this;
    }

    public SpecBuilder workingDir(String dir) {
      workingDir = Optional.of(dir);
      return this;
    }

    public SpecBuilder withStdin() {
      openStdin = true;
      return this;
    }

    public SpecBuilder bind(String spec) {
      binds.add(spec);
      return this;
    }

    public ContainerSpec build() {
      return new ContainerSpec(
          image,
          "s2i-contract",
          user,
          env,
          entrypoint,
          cmd,
          workingDir,
          openStdin,
          Optional.of("none"),
          List.of(),
          binds,
          List.of());
    }
  }
}
