package io.s2i.cli.it;

import io.s2i.testing.engine.EngineAvailability;
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
  /**
   * The fixture images in the loopback registry (scripts/ensure-registry-fixtures.sh), where the
   * daemonless scenarios take them from.
   */
  static final String REGISTRY_FIXTURE = "127.0.0.1:5000/s2i-test/";
  /** DOCKER_HOST of daemonless s2i processes: a socket that does not exist. */
  static final String NO_DOCKER = "unix:///run/s2i-java/no-docker.sock";
  static final Path APPS = S2iProcess.REPO.resolve("fixtures/apps");
  /** Outputs of daemonless scenarios in the default cache, untagged and pruned after each class. */
  private static final Set<String> DEFAULT_CACHE_OUTPUTS = java.util.Collections.synchronizedSet(new HashSet<>());
  private static volatile boolean registryFixturesPulled;

  @TempDir Path tmp;
  Path javaTmp;
  private Set<String> danglingBefore;
  private Set<String> containersBefore;
  private final List<String> imagesToRemove = new ArrayList<>();
  /** The oci caches this test's s2i processes used, most recent last. */
  private final Set<Path> cachesUsed = new java.util.LinkedHashSet<>();
  /** Images this test loaded into the Docker engine from an oci cache, to look at them. */
  private final Set<String> loadedFromCache = new HashSet<>();

  @BeforeAll
  static void requireEngine() {
    EngineAvailability.requireOrSkip(Docker.available() && Docker.imageExists(FIXTURE + "builder:latest"),
        "no Docker engine with the fixture images: run scripts/test.sh (or scripts/ensure-engine.sh and scripts/ensure-fixtures.sh)");
  }

  /**
   * Daemonless scenarios take their builders from the loopback registry: the default cache gets
   * every fixture once per test run ({@code s2i cache pull}), so that {@code -p never} finds them.
   */
  @BeforeEach
  void pullRegistryFixtures() throws IOException {
    if (!daemonless() || registryFixturesPulled) {
      return;
    }
    List<String> images = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(S2iProcess.REPO.resolve("fixtures/images"))) {
      dirs.filter(Files::isDirectory).map(d -> REGISTRY_FIXTURE + d.getFileName() + ":latest").sorted()
          .forEach(images::add);
    }
    Path work = Files.createDirectories(tmp.resolve("java-tmp"));
    List<String> args = new ArrayList<>(List.of("--engine", "oci", "cache", "pull"));
    args.addAll(images);
    S2iProcess.Result r = S2iProcess.run(tmp, work, daemonlessEnv(Map.of()), args.toArray(String[]::new));
    if (r.exitCode() != 0) {
      String why = "the fixture images are not in the loopback registry (" + r.stderr().strip()
          + "): run scripts/ensure-registry.sh and scripts/ensure-registry-fixtures.sh";
      EngineAvailability.requireOrSkip(false, why);
    }
    registryFixturesPulled = true;
    Runtime.getRuntime().addShutdownHook(new Thread(EngineTestBase::untagDaemonlessOutputs, "it-cache-cleanup"));
  }

  /**
   * Untags the outputs the daemonless scenarios left in their cache and prunes it, once, as the
   * test JVM ends (an s2i process per class would cost seconds for a few megabytes).
   */
  private static void untagDaemonlessOutputs() {
    List<String> names = new ArrayList<>();
    synchronized (DEFAULT_CACHE_OUTPUTS) {
      for (String n : DEFAULT_CACHE_OUTPUTS) {
        try {
          if (OciCacheImages.id(OciCacheImages.defaultCache(), n).isPresent()) {
            names.add(n);
          }
        } catch (IOException e) {
          // not readable: nothing to untag
        }
      }
      DEFAULT_CACHE_OUTPUTS.clear();
    }
    if (names.isEmpty()) {
      return;
    }
    try {
      Path dir = Files.createTempDirectory("s2i-it-cache");
      try {
        Map<String, String> env = daemonlessEnv(Map.of());
        List<String> rm = new ArrayList<>(List.of("--engine", "oci", "cache", "rm"));
        rm.addAll(names);
        S2iProcess.run(dir, dir, env, rm.toArray(String[]::new));
        S2iProcess.run(dir, dir, env, "--engine", "oci", "cache", "prune");
      } finally {
        try (Stream<Path> s = Files.walk(dir)) {
          for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      System.err.println("EngineTestBase: cannot clean the daemonless scenarios' cache: " + e);
    }
  }

  @BeforeEach
  void recordEngineState() throws IOException {
    javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    // Compared, not required empty: a developer may run other containers on the same engine.
    containersBefore = new HashSet<>(Docker.containerIds());
    danglingBefore = new HashSet<>(Docker.danglingImages());
  }

  @AfterEach
  void checkNothingLeft() throws IOException {
    for (String image : imagesToRemove) {
      Docker.removeImage(image);
    }
    for (String id : loadedFromCache) {
      Docker.run("rmi", id); // only what is left untagged goes; a tagged image refuses
    }
    Set<String> containers = new HashSet<>(Docker.containerIds());
    containers.removeAll(containersBefore);
    assertThat(containers).as("containers left behind").isEmpty();
    Set<String> dangling = new HashSet<>(Docker.danglingImages());
    dangling.removeAll(danglingBefore);
    assertThat(dangling).as("untagged images left behind").isEmpty();
    Set<Path> caches = new java.util.LinkedHashSet<>(cachesUsed);
    if (daemonless()) {
      caches.add(OciCacheImages.defaultCache());
    }
    for (Path cache : caches) {
      Path containersDir = cache.resolve("containers");
      if (Files.isDirectory(containersDir)) {
        try (Stream<Path> left = Files.list(containersDir)) {
          assertThat(left.toList()).as("oci container dirs left behind").isEmpty();
        }
      }
      assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("oci mounts left behind")
          .doesNotContain(containersDir.toString());
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
    DEFAULT_CACHE_OUTPUTS.add(ref);
    return ref;
  }

  /** Whether these scenarios run on the daemonless engine with no daemon ({@code *OnOci*IT}). */
  boolean daemonless() {
    return engine().filter("oci"::equals).isPresent();
  }

  /**
   * A fixture builder image: {@code localhost/s2i-test/NAME} in the Docker engine, or the same
   * image in the loopback registry for daemonless scenarios.
   */
  String fixture(String name) {
    return (daemonless() ? REGISTRY_FIXTURE : FIXTURE) + name;
  }

  /**
   * {@code env} for an s2i process that must not reach a Docker daemon, with the daemonless
   * scenarios' cache unless {@code env} names another.
   */
  static Map<String, String> daemonlessEnv(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("S2I_OCI_DAEMON", "none");
    all.putIfAbsent("DOCKER_HOST", NO_DOCKER);
    all.putIfAbsent("XDG_CACHE_HOME", OciCacheImages.IT_CACHE_HOME.toString());
    return all;
  }

  // ---- looking at results: in the Docker engine, or loaded there from an oci cache ---------------

  /**
   * Makes the Docker engine show {@code ref} as the last oci cache that has it holds it (the
   * daemonless engine's results are loaded by the test, never by s2i).
   */
  private void fromCache(String ref) {
    List<Path> caches = new ArrayList<>(cachesUsed);
    java.util.Collections.reverse(caches);
    for (Path cache : caches) {
      try {
        Optional<String> id = OciCacheImages.id(cache, ref);
        if (id.isPresent()) {
          boolean byId = ref.equals(id.get()) || ref.equals(id.get().substring(7));
          if (OciCacheImages.intoDocker(cache, id.get(), byId ? Optional.empty() : Optional.of(ref))) {
            loadedFromCache.add(id.get());
          }
          return;
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** {@code ref}, after making sure the Docker engine shows it (loaded from an oci cache if need be). */
  String inDocker(String ref) {
    fromCache(ref);
    return ref;
  }

  /** The containers of the engine the scenario runs on: Docker's, or the default oci cache's dirs. */
  List<String> runningContainers() throws IOException {
    if (!daemonless()) {
      return Docker.containerIds();
    }
    Path dir = OciCacheImages.defaultCache().resolve("containers");
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  com.fasterxml.jackson.databind.JsonNode inspectImage(String ref) {
    fromCache(ref);
    return Docker.inspectImage(ref);
  }

  Docker.Result runImage(String ref) {
    fromCache(ref);
    return Docker.runImage(ref);
  }

  Docker.Result sh(String ref, String script) {
    fromCache(ref);
    return Docker.sh(ref, script);
  }

  List<String> topLayerEntries(String ref) throws IOException {
    fromCache(ref);
    return Docker.topLayerEntries(ref);
  }

  /** Whether the engine the scenario ran on has the image (the oci cache for daemonless ones). */
  boolean imageExists(String ref) {
    if (cachesUsed.isEmpty()) {
      return Docker.imageExists(ref);
    }
    for (Path cache : cachesUsed) {
      try {
        if (OciCacheImages.id(cache, ref).isPresent()) {
          return true;
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return false;
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
    Map<String, String> all = withEngine(env);
    noteCache(all, args);
    return S2iProcess.run(tmp, javaTmp, all, args);
  }

  /** Remembers the cache of an s2i process on the oci engine, where its results are looked for. */
  void noteCache(Map<String, String> env, String... args) {
    List<String> a = List.of(args);
    int i = a.indexOf("--engine");
    String engine = i >= 0 && i + 1 < a.size() ? a.get(i + 1) : env.getOrDefault("S2I_ENGINE", S2iProcess.ENGINE);
    if ("oci".equals(engine)) {
      cachesUsed.remove(OciCacheImages.cacheOf(env));
      cachesUsed.add(OciCacheImages.cacheOf(env));
    }
  }

  /**
   * {@code env} plus the engine choice of this test class; for the daemonless engine, no daemon
   * ({@code S2I_OCI_DAEMON=none}, {@code DOCKER_HOST} naming a socket that does not exist).
   */
  Map<String, String> withEngine(Map<String, String> env) {
    if (engine().isEmpty() || env.containsKey("S2I_ENGINE")) {
      return env;
    }
    Map<String, String> all = new HashMap<>(env);
    all.put("S2I_ENGINE", engine().get());
    return daemonless() ? daemonlessEnv(all) : all;
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
