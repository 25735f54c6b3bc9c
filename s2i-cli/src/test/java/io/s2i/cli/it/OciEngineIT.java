package io.s2i.cli.it;

import io.s2i.internal.fs.FileTrees;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The daemonless engine ({@code --engine oci}) through the CLI, with no daemon reachable (its
 * builder comes from the loopback registry; the Docker engine only builds the reference image and
 * shows results): same image as the Docker engine, concurrent builds sharing one layer cache, and
 * a corrupt cached layer.
 */
class OciEngineIT extends EngineTestBase {
  private static final String FILES =
      "find /opt/app-root/src /tmp/src /tmp/scripts -printf '%p %u %g %m %s\\n' | sort";
  private static final String BUILDER = REGISTRY_FIXTURE + "builder:latest";

  /** Runs s2i on the oci engine with no daemon; {@code env} may name another cache. */
  private S2iProcess.Result oci(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of("--engine", "oci"));
    all.addAll(List.of(args));
    return s2i(daemonlessEnv(env), all.toArray(String[]::new));
  }

  private Process startOci(Map<String, String> env, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("--engine", "oci"));
    all.addAll(List.of(args));
    noteCache(daemonlessEnv(env), all.toArray(String[]::new));
    return S2iProcess.start(tmp, javaTmp, daemonlessEnv(env), all.toArray(String[]::new));
  }

  /** A cache of this test under {@code xdg-cache} holding the builder (see {@link OciCacheImages#seed}). */
  private Path seededCacheHome() throws IOException {
    if (OciCacheImages.id(OciCacheImages.defaultCache(), BUILDER).isEmpty()) {
      var pulled = oci(Map.of(), "cache", "pull", BUILDER);
      assertThat(pulled.exitCode()).as(pulled.all()).isZero();
    }
    return OciCacheImages.seed(Files.createDirectories(tmp.resolve("xdg-cache")), BUILDER);
  }

  @Test
  void ociBuildGivesTheSameImageAsTheDockerEngine() {
    String viaDocker = outputImage("parity-docker");
    String viaOci = outputImage("parity-oci");
    var d = s2i("--engine", "docker", "build", app("plain"), FIXTURE + "builder", viaDocker, "-p", "never");
    assertThat(d.exitCode()).as(d.all()).isZero();
    var o = oci(Map.of(), "build", app("plain"), BUILDER, viaOci, "-p", "if-not-present", "--loglevel", "2");
    assertThat(o.exitCode()).as(o.all()).isZero();
    assertThat(o.stderr()).contains("Using the oci engine").contains("---> Installing application source");

    assertSameImage(viaOci, viaDocker);
  }

  /**
   * The checks of the parity test: configuration, labels (but the builder's name: the same image,
   * from the registry here), the app's files and its output.
   */
  private void assertSameImage(String viaOci, String viaDocker) {
    JsonNode dc = inspectImage(viaDocker).get("Config");
    JsonNode oc = inspectImage(viaOci).get("Config");
    for (String field : List.of("Cmd", "Entrypoint", "User", "Env", "WorkingDir")) {
      assertThat(text(oc.get(field))).as(field).isEqualTo(text(dc.get(field)));
    }
    assertThat(labels(oc)).isEqualTo(labels(dc));
    assertThat(oc.get("Labels").get("io.openshift.s2i.build.image").asText()).isEqualTo(BUILDER);
    assertThat(sh(viaOci, FILES).stdout()).isEqualTo(sh(viaDocker, FILES).stdout()).isNotEmpty();
    assertThat(runImage(viaOci).stdout()).isEqualTo("hello from plain app\n");
  }

  @Test
  void copiedRootGivesTheSameImageAsOverlayfs() throws Exception {
    Path cacheHome = seededCacheHome();
    String viaDocker = outputImage("parity-docker");
    String viaOverlay = outputImage("parity-overlay");
    String viaCopy = outputImage("parity-copy");
    var d = s2i("--engine", "docker", "build", app("plain"), FIXTURE + "builder", viaDocker, "-p", "never");
    assertThat(d.exitCode()).as(d.all()).isZero();
    var o = oci(Map.of("XDG_CACHE_HOME", cacheHome.toString(), "S2I_OCI_ROOTFS", "overlay"),
        "build", app("plain"), BUILDER, viaOverlay, "-p", "never");
    assertThat(o.exitCode()).as(o.all()).isZero();
    var c = oci(Map.of("XDG_CACHE_HOME", cacheHome.toString(), "S2I_OCI_ROOTFS", "copy"),
        "build", app("plain"), BUILDER, viaCopy, "-p", "never", "--loglevel", "5");
    assertThat(c.exitCode()).as(c.all()).isZero();
    assertThat(c.stderr()).contains("copies of the image's layers (S2I_OCI_ROOTFS=copy)");
    assertSameImage(viaCopy, viaDocker);
    // The layers the builds added hold the same entries (all but their times).
    Path blobs = cacheHome.resolve("s2i-java/oci/blobs/sha256");
    List<String> copied = layerEntries(blobs.resolve(topLayer(viaCopy)));
    assertThat(copied).isEqualTo(layerEntries(blobs.resolve(topLayer(viaOverlay)))).isNotEmpty()
        .anyMatch(e -> e.startsWith("opt/app-root/src/"));
    assertCacheClean(cacheHome.resolve("s2i-java/oci"));
  }

  private String topLayer(String image) {
    JsonNode layers = inspectImage(image).get("RootFS").get("Layers");
    return layers.get(layers.size() - 1).asText().substring("sha256:".length());
  }

  /** Name, type, mode, owner, size and link target of each entry of a layer tar, in order. */
  private static List<String> layerEntries(Path tar) throws IOException {
    List<String> out = new ArrayList<>();
    try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(tar))) {
      for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.add(e.getName() + " " + Integer.toOctalString(e.getMode()) + " " + e.getLongUserId() + ":"
            + e.getLongGroupId() + " " + e.getSize() + " " + e.getLinkName());
      }
    }
    return out;
  }

  @Test
  void concurrentBuildsShareAFreshCacheWithoutCorruptingIt() throws Exception {
    // Three builds pull the builder into an empty cache at once, unpack its layers and commit.
    Path cacheHome = Files.createDirectories(tmp.resolve("xdg-cache"));
    List<String> outs = new ArrayList<>();
    List<Process> builds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String out = outputImage("concurrent" + i);
      outs.add(out);
      builds.add(startOci(Map.of("XDG_CACHE_HOME", cacheHome.toString()),
          "build", app("plain"), BUILDER, out, "-p", "if-not-present"));
    }
    for (Process p : builds) {
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(err).isZero();
    }
    for (String out : outs) {
      assertThat(runImage(out).stdout()).isEqualTo("hello from plain app\n");
    }
    Path cache = cacheHome.resolve("s2i-java/oci");
    assertCacheClean(cache);
    // Every unpacked layer is complete: one more build from the shared cache works.
    String again = outputImage("concurrent-again");
    var r = oci(Map.of("XDG_CACHE_HOME", cacheHome.toString()), "build", app("plain"), BUILDER, again, "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertCacheClean(cache);
  }

  @Test
  void corruptCachedLayerIsNamedDroppedAndFetchedAgain() throws Exception {
    Path cacheHome = seededCacheHome();
    Map<String, String> env = Map.of("XDG_CACHE_HOME", cacheHome.toString());
    String first = outputImage("corrupt-first");
    assertThat(oci(env, "build", app("plain"), BUILDER, first, "-p", "never").exitCode()).isZero();
    String out = outputImage("corrupt");
    Path cache = cacheHome.resolve("s2i-java/oci");
    // Corrupt the biggest layer of the builder and forget its unpacked copy.
    Path blob;
    try (Stream<Path> blobs = Files.list(cache.resolve("blobs/sha256"))) {
      blob = blobs.max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
    }
    FileTrees.delete(cache.resolve("layers").resolve(blob.getFileName().toString()));
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(blob, bytes);

    var broken = oci(env, "build", app("plain"), BUILDER, out, "-p", "if-not-present");
    assertThat(broken.exitCode()).isNotZero();
    List<String> errors = broken.stderr().lines().filter(l -> l.startsWith("ERROR:")).toList();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).contains("corrupt").contains("Fix:");
    assertThat(Files.exists(blob)).as("the corrupt blob is dropped").isFalse();
    assertCacheClean(cache);

    // Pulled again: only the dropped layer is fetched.
    var healed = oci(env, "build", app("plain"), BUILDER, out, "-p", "if-not-present");
    assertThat(healed.exitCode()).as(healed.all()).isZero();
    assertThat(runImage(out).stdout()).isEqualTo("hello from plain app\n");
  }

  @Test
  void containerLayerOnDiskGivesTheSameFilesAsInMemory() {
    String inMemory = outputImage("scratch-memory");
    String onDisk = outputImage("scratch-disk");
    var m = oci(Map.of("S2I_OCI_SCRATCH", "memory"), "build", app("plain"), BUILDER, inMemory, "-p", "if-not-present");
    assertThat(m.exitCode()).as(m.all()).isZero();
    var d = oci(Map.of("S2I_OCI_SCRATCH", "disk"), "build", app("plain"), BUILDER, onDisk, "-p", "never");
    assertThat(d.exitCode()).as(d.all()).isZero();
    assertThat(sh(onDisk, FILES).stdout()).isEqualTo(sh(inMemory, FILES).stdout()).isNotEmpty();
  }

  @Test
  void fullInMemoryLayerFailsTheBuildNamingTheSetting() throws Exception {
    Path cacheHome = seededCacheHome();
    Path big = Files.createDirectories(tmp.resolve("big-app/.s2i/bin"));
    Path assemble = big.resolve("assemble");
    Files.writeString(assemble, "#!/bin/sh\nset -e\nhead -c 3000000 /dev/zero > /tmp/big.bin\n");
    assemble.toFile().setExecutable(true, false);
    big = tmp.resolve("big-app");
    var r = oci(Map.of("XDG_CACHE_HOME", cacheHome.toString(), "S2I_OCI_SCRATCH", "memory:1m"),
        "build", big.toString(), BUILDER, outputImage("scratch-full"), "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isNotZero();
    assertThat(r.stderr()).contains("No space left on device").contains("S2I_OCI_SCRATCH=disk");
    assertCacheClean(cacheHome.resolve("s2i-java/oci"));

    var bad = oci(Map.of("S2I_OCI_SCRATCH", "lots"), "build", app("plain"), BUILDER, outputImage("scratch-bad"),
        "-p", "never");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.stderr().lines().filter(l -> l.startsWith("ERROR:")).toList())
        .singleElement().asString().contains("S2I_OCI_SCRATCH=lots").contains("memory:SIZE");
  }

  @Test
  void ctrlCDuringAssembleUnmountsAndRemovesEverything() throws Exception {
    ctrlCDuringAssemble(Map.of());
  }

  @Test
  void ctrlCDuringAssembleOnACopiedRootRemovesEverything() throws Exception {
    // The copy in a tmpfs of its own (memory:SIZE), which must be unmounted too.
    ctrlCDuringAssemble(Map.of("S2I_OCI_ROOTFS", "copy", "S2I_OCI_SCRATCH", "memory:2g"));
  }

  private void ctrlCDuringAssemble(Map<String, String> extraEnv) throws Exception {
    Path cacheHome = seededCacheHome();
    Path src = writeApp("slow", "hello.txt", "hi\n", ".s2i/bin/assemble", "#!/bin/sh\necho assemble-started\nsleep 120\n");
    Map<String, String> env = new java.util.HashMap<>(extraEnv);
    env.put("XDG_CACHE_HOME", cacheHome.toString());
    Process p = startOci(env, "build", src.toString(), BUILDER, outputImage("slow"), "-p", "never");
    Path cache = cacheHome.resolve("s2i-java/oci");
    try (var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      boolean started = false;
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        if (line.contains("assemble-started")) {
          started = true;
          break;
        }
      }
      assertThat(started).as("assemble started").isTrue();
      assertThat(list(cache.resolve("containers"))).as("the running container's dir").hasSize(1);
      assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(cache.toString());
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("s2i exits after Ctrl-C").isTrue();
      assertThat(p.exitValue()).isEqualTo(130);
    } finally {
      p.destroyForcibly();
    }
    assertCacheClean(cache);
    try (var left = Files.list(javaTmp)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void containersOfAKilledBuildAreSweptByTheNextOne() throws Exception {
    containersOfAKilledBuildAreSwept(Map.of());
  }

  @Test
  void copiedRootsOfAKilledBuildAreSweptByTheNextOne() throws Exception {
    // On disk: a plain directory tree, nothing mounted, which the sweep must still remove.
    containersOfAKilledBuildAreSwept(Map.of("S2I_OCI_ROOTFS", "copy", "S2I_OCI_SCRATCH", "disk"));
  }

  private void containersOfAKilledBuildAreSwept(Map<String, String> extraEnv) throws Exception {
    Path cacheHome = seededCacheHome();
    Map<String, String> env = new java.util.HashMap<>(extraEnv);
    env.put("XDG_CACHE_HOME", cacheHome.toString());
    Path src = writeApp("slow", "hello.txt", "hi\n", ".s2i/bin/assemble", "#!/bin/sh\necho assemble-started\nsleep 120\n");
    Process p = startOci(env, "build", src.toString(), BUILDER, outputImage("killed"), "-p", "never");
    Path cache = cacheHome.resolve("s2i-java/oci");
    try (var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = err.readLine(); line != null && !line.contains("assemble-started"); line = err.readLine()) {
        // wait for assemble
      }
      p.destroyForcibly(); // SIGKILL: no cleanup can run
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(list(cache.resolve("containers"))).as("the killed build's container").hasSize(1);

    var next = oci(env, "build", app("plain"), BUILDER, outputImage("next"), "-p", "never");
    assertThat(next.exitCode()).as(next.all()).isZero();
    assertCacheClean(cache);
    // The killed JVM's own workspace is the core's, which SIGKILL leaves; not this engine's.
    try (Stream<Path> left = Files.list(javaTmp)) {
      for (Path d : left.toList()) {
        FileTrees.delete(d);
      }
    }
  }

  @Test
  void missingRuntimeBinaryIsAOneLineErrorNamingTheFix() throws Exception {
    Path cacheHome = Files.createDirectories(tmp.resolve("xdg-cache"));
    var r = oci(Map.of("XDG_CACHE_HOME", cacheHome.toString(), "S2I_OCI_RUNTIME", "/nonexistent/runc"),
        "build", app("plain"), BUILDER, outputImage("noruntime"), "-p", "never");
    assertThat(r.exitCode()).isEqualTo(7);
    assertThat(r.stderr().strip().lines().toList()).singleElement().asString()
        .contains("/nonexistent/runc").contains("Fix: install runc");
  }

  @Test
  void noPermissionToMountIsAOneLineErrorAndLeavesNothing() throws Exception {
    noPermissionToMount("auto");
  }

  @Test
  void noPermissionToMountIsAOneLineErrorWithCopiedRootsToo() throws Exception {
    noPermissionToMount("copy");
  }

  private void noPermissionToMount(String rootfs) throws Exception {
    Path cacheHome = seededCacheHome();
    // Root without CAP_SYS_ADMIN, as in an unprivileged pod: every mount is refused.
    ProcessBuilder pb = new ProcessBuilder("setpriv", "--bounding-set", "-sys_admin",
        S2iProcess.REPO.resolve("bin/s2i").toString(), "--engine", "oci", "build", app("plain"),
        BUILDER, outputImage("nocap"), "-p", "never")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(daemonlessEnv(Map.of()));
    pb.environment().put("XDG_CACHE_HOME", cacheHome.toString());
    pb.environment().put("S2I_OCI_ROOTFS", rootfs);
    Process p = pb.start();
    p.getOutputStream().close();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isEqualTo(7);
    assertThat(err.strip().lines().toList()).singleElement().asString()
        .contains("cannot mount").contains("permission denied").contains("Fix: run s2i as root");
    assertCacheClean(cacheHome.resolve("s2i-java/oci"));
  }

  @org.junit.jupiter.api.AfterEach
  void removeCaches() throws IOException {
    // Unpacked layers hold absolute symlinks; JUnit's TempDir cleanup warns about each one.
    FileTrees.delete(tmp.resolve("xdg-cache"));
  }

  /** No container dirs, temp dirs, mounts or runtime state left in {@code cache}. */
  private static void assertCacheClean(Path cache) throws IOException {
    assertThat(list(cache.resolve("containers"))).as("container dirs left").isEmpty();
    assertThat(list(cache.resolve("tmp"))).as("temporary files left").isEmpty();
    String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
    assertThat(mounts).as("mounts left").doesNotContain(cache.toString());
    // No runtime state of a container of this cache is left either (other caches may be in use).
    Path state = Path.of("/run/s2i-java/runc");
    if (Files.isDirectory(state)) {
      for (String c : list(state)) {
        Path json = state.resolve(c).resolve("state.json");
        if (Files.exists(json) && Files.readString(json).contains(cache.toString())) {
          throw new AssertionError("runtime state left for container " + c);
        }
      }
    }
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }


  private static String text(JsonNode n) {
    return n == null || n.isNull() || (n.isArray() && n.isEmpty()) ? "" : n.toString();
  }

  private static Map<String, String> labels(JsonNode config) {
    Map<String, String> out = new TreeMap<>(new ObjectMapper().convertValue(config.get("Labels"),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {}));
    out.remove("io.k8s.display-name"); // the output name differs on purpose
    out.remove("io.openshift.s2i.build.image"); // the same builder: from the engine, from the registry
    out.remove("org.opencontainers.image.created");
    // The inputs digest covers the builder's image id, which each engine computes its own way.
    out.remove("io.s2i.build.inputs-digest");
    return out;
  }
}
