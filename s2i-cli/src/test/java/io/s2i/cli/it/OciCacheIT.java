package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The daemonless engine's cache ({@code s2i cache ls|prune|rm|pull}, {@code S2I_OCI_CACHE_MAX}) on
 * a cache of each test's own, with no daemon: a prune while a build runs keeps what that build
 * uses, and the build still succeeds; the size cap takes the least recently used images first.
 */
class OciCacheIT extends EngineTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUILDER = REGISTRY_FIXTURE + "builder:latest";
  /** Another builder: the fixture builder with another label (the same layers). */
  private static final String DEST = REGISTRY_FIXTURE + "dest:latest";

  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }

  private Map<String, String> ownCache() throws IOException {
    return Map.of("XDG_CACHE_HOME", Files.createDirectories(tmp.resolve("xdg-cache")).toString());
  }

  private JsonNode ls(Map<String, String> env) throws IOException {
    var r = s2i(env, "cache", "ls", "--json");
    assertThat(r.exitCode()).as(r.all()).isZero();
    return JSON.readTree(r.stdout());
  }

  private static long size(JsonNode usage, String name) {
    for (JsonNode i : usage.path("images")) {
      for (JsonNode n : i.path("names")) {
        if (n.asText().equals(name)) {
          return i.path("sizeBytes").asLong();
        }
      }
    }
    throw new AssertionError(name + " is not in the cache");
  }

  private static List<String> names(JsonNode usage) {
    List<String> out = new ArrayList<>();
    usage.path("images").forEach(i -> i.path("names").forEach(n -> out.add(n.asText())));
    return out;
  }

  @Test
  void aPruneWhileABuildRunsKeepsWhatTheBuildUsesAndTheBuildSucceeds() throws Exception {
    Map<String, String> env = ownCache();
    OciCacheImages.seed(tmp.resolve("xdg-cache"), BUILDER);
    Path signal = Files.createDirectories(tmp.resolve("signal"));
    Path src = writeApp("waits", "hello.txt", "hi\n", ".s2i/bin/assemble", "#!/bin/sh\nset -e\n"
        + "echo assemble-waiting\nfor i in $(seq 1 600); do [ -f /signal/go ] && break; sleep 0.1; done\n"
        + "cp -Rf /tmp/src/. ./\n");
    String out = outputImage("waits");
    Map<String, String> all = daemonlessEnv(withEngine(env));
    noteCache(all, "build");
    Process build = S2iProcess.start(tmp, javaTmp, all, "build", src.toString(), BUILDER, out, "-p", "never",
        "-v", signal + ":/signal:ro");
    try (var err = new BufferedReader(new InputStreamReader(build.getErrorStream(), StandardCharsets.UTF_8))) {
      boolean waiting = false;
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        if (line.contains("assemble-waiting")) {
          waiting = true;
          break;
        }
      }
      assertThat(waiting).as("assemble started").isTrue();

      JsonNode during = ls(env);
      assertThat(during.path("images").get(0).path("inUse").asBoolean()).as("the builder, held by the build").isTrue();
      var prune = s2i(env, "cache", "prune", "--all");
      assertThat(prune.exitCode()).as(prune.all()).isZero();
      assertThat(prune.stdout()).contains("Removed 0 images").contains("1 images kept because running builds use them");
      assertThat(names(ls(env))).contains(BUILDER);

      Files.writeString(signal.resolve("go"), "");
      err.transferTo(java.io.Writer.nullWriter());
      assertThat(build.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(build.exitValue()).isZero();
    } finally {
      build.destroyForcibly();
    }
    assertThat(runImage(out).stdout()).isEqualTo("hi\n");

    // Nothing runs now: everything goes, and nothing is left on disk.
    var prune = s2i(env, "cache", "prune", "--all");
    assertThat(prune.exitCode()).as(prune.all()).isZero();
    assertThat(prune.stdout()).contains("Removed 2 images");
    JsonNode after = ls(env);
    assertThat(after.path("images")).isEmpty();
    assertThat(after.path("totalBytes").asLong()).isZero();
    Path cache = tmp.resolve("xdg-cache/s2i-java/oci");
    for (String dir : List.of("blobs/sha256", "layers", "leases", "tmp", "containers")) {
      try (Stream<Path> s = Files.list(cache.resolve(dir))) {
        assertThat(s.toList()).as(dir).isEmpty();
      }
    }
  }

  @Test
  void theSizeCapTakesTheLeastRecentlyUsedImagesFirst() throws Exception {
    Map<String, String> env = ownCache();
    OciCacheImages.seed(tmp.resolve("xdg-cache"), BUILDER);
    OciCacheImages.seed(tmp.resolve("xdg-cache"), DEST);
    String first = outputImage("cap-first");
    String second = outputImage("cap-second");
    assertThat(s2i(env, "build", app("plain"), BUILDER, first, "-p", "never").exitCode()).isZero();
    Thread.sleep(1100); // whole seconds of file times between the uses
    assertThat(s2i(env, "build", app("plain"), DEST, second, "-p", "never").exitCode()).isZero();

    JsonNode full = ls(env);
    assertThat(names(full)).contains(BUILDER, DEST, first, second);
    assertThat(full.path("limitBytes").isMissingNode()).isTrue();
    // Too small for everything by what the first build added: the builder's config alone is not enough.
    long cap = full.path("totalBytes").asLong() - (size(full, first) - size(full, BUILDER));
    // Any command that opens the engine prunes to the cap as it ends; ls shows the cache before.
    var capped = s2i(Map.of("XDG_CACHE_HOME", env.get("XDG_CACHE_HOME"), "S2I_OCI_CACHE_MAX", Long.toString(cap)),
        "cache", "ls");
    assertThat(capped.exitCode()).as(capped.all()).isZero();
    assertThat(capped.stdout()).contains("(cap ");
    JsonNode after = ls(env);
    assertThat(after.path("totalBytes").asLong()).isLessThanOrEqualTo(cap);
    assertThat(names(after)).as("the builder and its output were used first").doesNotContain(BUILDER, first)
        .contains(DEST, second);
    assertThat(runImage(second).stdout()).isEqualTo("hello from plain app\n");

    var bad = s2i(Map.of("XDG_CACHE_HOME", env.get("XDG_CACHE_HOME"), "S2I_OCI_CACHE_MAX", "lots"), "cache", "ls");
    assertThat(bad.exitCode()).isEqualTo(7);
    assertThat(bad.stderr().lines().filter(l -> l.startsWith("ERROR:")).toList()).singleElement().asString()
        .contains("S2I_OCI_CACHE_MAX=lots").contains("Fix:");
  }

  @Test
  void rmUntagsAndPruneTakesWhatNothingNames() throws Exception {
    Map<String, String> env = ownCache();
    var pull = s2i(env, "cache", "pull", BUILDER);
    assertThat(pull.exitCode()).as(pull.all()).isZero();
    assertThat(pull.stdout()).startsWith(BUILDER + " sha256:");
    var rm = s2i(env, "cache", "rm", BUILDER, "127.0.0.1:1/never:1");
    assertThat(rm.exitCode()).isEqualTo(3);
    assertThat(rm.stdout()).isEqualTo("Untagged: " + BUILDER + "\n");
    assertThat(rm.stderr()).contains("no image named 127.0.0.1:1/never:1");
    var prune = s2i(env, "cache", "prune");
    assertThat(prune.stdout()).contains("Removed 1 images");
    assertThat(ls(env).path("totalBytes").asLong()).isZero();

    var docker = s2i(Map.of("S2I_ENGINE", "docker"), "cache", "ls");
    assertThat(docker.exitCode()).isEqualTo(2);
    assertThat(docker.stderr()).contains("the docker engine keeps no s2i cache");
  }

  @AfterEach
  void removeCache() throws IOException {
    Path p = tmp.resolve("xdg-cache");
    if (Files.exists(p)) {
      try (Stream<Path> s = Files.walk(p)) {
        for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(x);
        }
      }
    }
  }
}
