package io.s2i.testing.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.Credentials;
import io.s2i.S2i;
import io.s2i.api.BuildEvent;
import io.s2i.api.BuildRequest;
import io.s2i.api.ImageRef;
import io.s2i.api.PullPolicy;
import io.s2i.api.S2iException;
import io.s2i.api.SourceSpec;
import io.s2i.testing.engine.FakeBuilders;
import io.s2i.testing.engine.FakeEngine;
import io.s2i.testing.engine.FakeImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds through the library's API ({@link S2i}) on a {@link FakeEngine}: the orchestration
 * (strategies, steps, fallbacks, clean-up, errors) without Docker. After every test, no container
 * may be left and every temporary directory a build announced must be gone.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class FakeBuildTestBase {
  static final String BUILDER = "localhost/fake/builder:1";
  static final String APP = FakeBuilders.APP;

  @TempDir Path tmp;
  FakeEngine engine;
  final List<BuildEvent> events = new CopyOnWriteArrayList<>();

  /** On failure, what the builds reported, to see why. */
  @RegisterExtension
  final TestWatcher showEvents = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      events.forEach(e -> System.err.println("  event: " + e));
    }
  };

  @BeforeEach
  void newEngine() {
    engine = FakeEngine.create();
    engine.add(BUILDER, FakeBuilders.standard());
  }

  @AfterEach
  void nothingLeft() {
    assertThat(engine.liveContainers()).as("containers left behind").isEmpty();
    for (Path dir : workspaces()) {
      assertThat(dir).as("temporary directory left behind").doesNotExist();
    }
  }

  /** The library, on the fake engine, recording its events. */
  S2i s2i() {
    return S2i.builder().engine(engine).events(events::add).credentials(Credentials.anonymous()).build();
  }

  /** A source directory holding {@code files} (path to content; a path ending in {@code *} is made executable). */
  Path source(Map<String, String> files) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "src");
    for (Map.Entry<String, String> f : files.entrySet()) {
      boolean executable = f.getKey().endsWith("*");
      Path p = dir.resolve(executable ? f.getKey().substring(0, f.getKey().length() - 1) : f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
      if (executable) {
        p.toFile().setExecutable(true);
      }
    }
    return dir;
  }

  /** A request for {@code source} built with {@code builder}, never pulling, into {@code tag}. */
  BuildRequest.Builder request(Path source, String builder, String tag) {
    return BuildRequest.builder(SourceSpec.local(source.toString()), ImageRef.parse(builder))
        .builderPull(PullPolicy.NEVER)
        .tag(ImageRef.parse(tag));
  }

  FakeImage image(String ref) {
    return engine.image(ref).orElseThrow(() -> new AssertionError("no image " + ref + " in " + engine.tags()));
  }

  String file(String ref, String path) {
    return image(ref).files().readString(path).orElseThrow(() -> new AssertionError("no file " + path + " in " + ref));
  }

  /** The lines the containers printed on stdout and stderr. */
  List<String> output() {
    return events.stream().filter(e -> e instanceof BuildEvent.ContainerOutput)
        .map(e -> ((BuildEvent.ContainerOutput) e).line()).toList();
  }

  /** s2i's own messages at {@code level}. */
  List<String> logs(BuildEvent.Level level) {
    return events.stream().filter(e -> e instanceof BuildEvent.Log l && l.level() == level)
        .map(e -> ((BuildEvent.Log) e).message()).toList();
  }

  /** Every step that started, in order. */
  List<String> steps() {
    return events.stream().filter(e -> e instanceof BuildEvent.StepStarted)
        .map(e -> ((BuildEvent.StepStarted) e).step()).toList();
  }

  /** The temporary directories builds announced. */
  List<Path> workspaces() {
    List<Path> dirs = new ArrayList<>();
    for (String m : logs(BuildEvent.Level.DEBUG)) {
      if (m.startsWith("Created temporary directory ")) {
        dirs.add(Path.of(m.substring("Created temporary directory ".length())));
      }
    }
    return dirs;
  }

  /** The failure of {@code build}, which must fail. */
  static S2iException failure(Attempt attempt) {
    try {
      attempt.run();
    } catch (S2iException e) {
      return e;
    }
    throw new AssertionError("expected the build to fail");
  }

  /** A call that fails with an {@link S2iException}. */
  @FunctionalInterface
  interface Attempt {
    void run() throws S2iException;
  }
}
