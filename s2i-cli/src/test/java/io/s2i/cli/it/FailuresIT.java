package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bad input and failing builds: each gives one clear error line, the documented exit code, and
 * leaves nothing behind (checked after every test by the base class).
 */
class FailuresIT extends EngineTestBase {

  private static void assertOneErrorLine(S2iProcess.Result r, String... fragments) {
    var errors = r.stderr().lines().filter(l -> l.startsWith("ERROR: ")).toList();
    assertThat(errors).as(r.all()).hasSize(1);
    assertThat(errors.get(0)).contains(fragments);
  }

  @Test
  void failingAssembleReportsItsRealExitStatus() throws Exception {
    Path src = writeApp("fail", "hello.txt", "hi\n", "fail-with", "7\n");
    var r = s2i("build", src.toString(), fixture("builder"), outputImage("fail"), "-p", "never");
    assertThat(r.exitCode()).isEqualTo(6);
    assertThat(r.stderr()).contains("Failing on purpose with exit code 7");
    assertOneErrorLine(r, "exit status 7");
  }

  @Test
  void nonexistentSource() {
    var r = s2i("build", tmp.resolve("nope").toString(), fixture("builder"), outputImage("x"), "-p", "never");
    assertThat(r.exitCode()).isEqualTo(4);
    assertOneErrorLine(r, "does not exist", "Fix:");
  }

  @Test
  void unknownBuilderImageNeverPulledFromAnywhere() {
    var r = s2i("build", app("plain"), "127.0.0.1:1/s2i/missing-builder", outputImage("x"), "-p", "never");
    assertThat(r.exitCode()).isEqualTo(3);
    assertOneErrorLine(r, "127.0.0.1:1/s2i/missing-builder");
    var pulled = s2i("build", app("plain"), "127.0.0.1:1/s2i/missing-builder", outputImage("x"));
    // The daemon reports a registry it cannot reach as a failed pull; the daemonless engine retries
    // it and then reports the registry (exit 8, as its pushes).
    assertThat(pulled.exitCode()).isEqualTo(daemonless() ? 8 : 3);
    assertOneErrorLine(pulled, "127.0.0.1:1/s2i/missing-builder");
  }

  @Test
  void invalidTag() {
    var r = s2i("build", app("plain"), fixture("builder"), "Bad:Tag:UPPER");
    assertThat(r.exitCode()).isEqualTo(2);
    assertOneErrorLine(r, "invalid tag", "invalid reference format");
  }

  @Test
  void malformedEnv() {
    var r = s2i("build", app("plain"), fixture("builder"), "-e", "=novalue");
    assertThat(r.exitCode()).isEqualTo(2);
    assertOneErrorLine(r, "invalid environment format");
  }

  @Test
  void unreadableEnvironmentFile() {
    var r = s2i("build", app("plain"), fixture("builder"), "-E", tmp.resolve("missing.env").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertOneErrorLine(r, "missing.env");
  }

  @Test
  void badVolume() {
    var r = s2i("build", app("plain"), fixture("builder"), "-v", "relative-only");
    assertThat(r.exitCode()).isEqualTo(2);
    assertOneErrorLine(r, "invalid volume");
  }

  @Test
  void unknownScriptsScheme() {
    var r = s2i("build", app("plain"), fixture("builder"), "--scripts-url", "ftp://example/scripts");
    assertThat(r.exitCode()).isEqualTo(2);
    assertOneErrorLine(r, "unknown scheme");
  }

  @Test
  void missingArguments() {
    var r = s2i("build", app("plain"));
    assertThat(r.exitCode()).isEqualTo(2);
    assertOneErrorLine(r, "needs a source and a builder image");
  }

  @Test
  void unknownFlag() {
    var r = s2i("build", "--no-such-flag");
    assertThat(r.exitCode()).isEqualTo(2);
    assertOneErrorLine(r, "--no-such-flag");
  }

  @Test
  void engineNotReachable() {
    var r = S2iProcess.run(tmp, javaTmp, Map.of("DOCKER_HOST", "unix://" + tmp.resolve("no.sock")),
        "--engine", "docker", "build", app("plain"), fixture("builder"), "-p", "never");
    assertThat(r.exitCode()).isEqualTo(7);
    assertOneErrorLine(r, "no.sock");
  }

  @Test
  void unknownEngineNamesTheEnginesThereAre() {
    // Not one of the bundled engines: the providers are looked for on the whole class path.
    var r = s2i("--engine", "nope", "build", app("plain"), fixture("builder"), "-p", "never");
    assertThat(r.exitCode()).isEqualTo(7);
    assertOneErrorLine(r, "no container engine named \"nope\"", "one of: docker, oci");
  }

  @Test
  void ctrlCDuringAssembleRemovesEverything() throws Exception {
    Path src = writeApp("slow", "hello.txt", "hi\n", ".s2i/bin/assemble",
        "#!/bin/sh\necho assemble-started\nsleep 120\n");
    Process p = S2iProcess.start(tmp, javaTmp, withEngine(Map.of()), "build", src.toString(), fixture("builder"),
        outputImage("slow"), "-p", "never");
    try (var err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      boolean started = false;
      while ((line = err.readLine()) != null) {
        if (line.contains("assemble-started")) {
          started = true;
          break;
        }
      }
      assertThat(started).as("assemble started").isTrue();
      assertThat(runningContainers()).isNotEmpty();
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("s2i exits after Ctrl-C").isTrue();
      assertThat(p.exitValue()).isEqualTo(130);
    } finally {
      p.destroyForcibly();
    }
    // The base class checks containers, images and temp dirs; the temp dir must be gone right away.
    try (var left = Files.list(javaTmp)) {
      assertThat(left.toList()).isEmpty();
    }
  }
}
