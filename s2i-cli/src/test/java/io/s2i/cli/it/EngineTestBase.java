package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the CLI integration tests: they run {@code bin/s2i} against the real Docker engine with
 * the fixture images, and check after every test that nothing was left behind: no container, no
 * new untagged image, no temporary directory.
 */
abstract class EngineTestBase {
  static final String FIXTURE = "localhost/s2i-test/";
  static final Path APPS = S2iProcess.REPO.resolve("fixtures/apps");

  @TempDir Path tmp;
  Path javaTmp;
  private Set<String> danglingBefore;
  private Set<String> containersBefore;
  private Set<String> volumesBefore;
  private final List<String> imagesToRemove = new ArrayList<>();

  @BeforeAll
  static void requireEngine() {
    boolean available = Docker.available() && Docker.imageExists(FIXTURE + "builder:latest");
    if (!available) {
      String why = "no Docker engine with the fixture images: run scripts/test.sh (or scripts/ensure-engine.sh and scripts/ensure-fixtures.sh)";
      if (Boolean.getBoolean("s2i.it.required")) {
        Assertions.fail(why);
      }
      Assumptions.abort(why);
    }
  }

  @BeforeEach
  void recordEngineState() throws IOException {
    javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    // Compared, not required empty: a developer may run other containers on the same engine.
    containersBefore = new HashSet<>(Docker.containerIds());
    danglingBefore = new HashSet<>(Docker.danglingImages());
    volumesBefore = new HashSet<>(Docker.s2iVolumes());
  }

  @AfterEach
  void checkNothingLeft() throws IOException {
    for (String image : imagesToRemove) {
      Docker.removeImage(image);
    }
    Set<String> containers = new HashSet<>(Docker.containerIds());
    containers.removeAll(containersBefore);
    assertThat(containers).as("containers left behind").isEmpty();
    Set<String> dangling = new HashSet<>(Docker.danglingImages());
    dangling.removeAll(danglingBefore);
    assertThat(dangling).as("untagged images left behind").isEmpty();
    Set<String> volumes = new HashSet<>(Docker.s2iVolumes());
    volumes.removeAll(volumesBefore);
    assertThat(volumes).as("volumes made for a build left behind").isEmpty();
    if (engine().filter("oci"::equals).isPresent()) {
      Path containersDir = Path.of(System.getProperty("user.home"), ".cache/s2i-java/oci/containers");
      if (Files.isDirectory(containersDir)) {
        try (Stream<Path> left = Files.list(containersDir)) {
          assertThat(left.toList()).as("oci container dirs left behind").isEmpty();
        }
      }
      assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("oci mounts left behind")
          .doesNotContain(containersDir.toString());
      Path cacheTmp = containersDir.resolveSibling("tmp");
      if (Files.isDirectory(cacheTmp)) {
        try (Stream<Path> left = Files.list(cacheTmp)) {
          assertThat(left.toList()).as("oci cache temporary files left behind").isEmpty();
        }
      }
    }
    try (Stream<Path> left = Files.list(javaTmp)) {
      assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("s2i")).toList())
          .as("temporary directories left behind").isEmpty();
    }
  }

  /** A fresh output image name, removed after the test. */
  String outputImage(String name) {
    String ref = "localhost/s2i-it/" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ":latest";
    imagesToRemove.add(ref);
    return ref;
  }

  /**
   * The engine these tests run on ({@code S2I_ENGINE}); empty for the default, the Docker engine.
   * Subclasses named {@code *OnOciIT} run the same scenarios on the daemonless engine.
   */
  Optional<String> engine() {
    return Optional.empty();
  }

  /** Runs {@code bin/s2i} in the temp dir. */
  S2iProcess.Result s2i(String... args) {
    return s2i(Map.of(), args);
  }

  /** Runs {@code bin/s2i} in the temp dir with extra environment variables. */
  S2iProcess.Result s2i(Map<String, String> env, String... args) {
    return S2iProcess.run(tmp, javaTmp, withEngine(env), args);
  }

  /** {@code env} plus the engine choice of this test class. */
  Map<String, String> withEngine(Map<String, String> env) {
    if (engine().isEmpty() || env.containsKey("S2I_ENGINE")) {
      return env;
    }
    Map<String, String> all = new HashMap<>(env);
    all.put("S2I_ENGINE", engine().get());
    return all;
  }

  String app(String name) {
    return APPS.resolve(name).toString();
  }

  /** A small source tree made by the test. */
  Path writeApp(String name, String... pathsAndContents) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("apps").resolve(name));
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      Path file = dir.resolve(pathsAndContents[i]);
      Files.createDirectories(file.getParent());
      Files.writeString(file, pathsAndContents[i + 1]);
      if (pathsAndContents[i].contains("/bin/") || pathsAndContents[i].endsWith(".sh")) {
        file.toFile().setExecutable(true, false);
      }
    }
    return dir;
  }
}
