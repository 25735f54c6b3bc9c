package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

  /**
   * Ctrl-C stops a build and removes what it made, also one started in the background of a
   * non-interactive shell ({@code s2i build ... &} in a script), which gets SIGINT ignored.
   */
  @Test
  void ctrlCDuringAssembleRemovesEverythingAlsoInTheBackgroundOfAScript() throws Exception {
    Path src = writeApp("slow", "hello.txt", "hi\n", ".s2i/bin/assemble",
        "#!/bin/sh\necho assemble-started\nsleep 120\n");
    Process p = S2iProcess.startInBackgroundShell(tmp, javaTmp, withEngine(Map.of()), "build", src.toString(),
        fixture("builder"), outputImage("slow"), "-p", "never");
    try (var err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      long pid = Long.parseLong(out.readLine().strip());
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
      new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("s2i exits after SIGINT").isTrue();
      assertThat(p.exitValue()).isEqualTo(130);
    } finally {
      p.destroyForcibly();
    }
    // The base class checks containers, images and temp dirs; the temp dir must be gone right away.
    try (var left = Files.list(javaTmp)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void aBuilderWithoutItsScriptsIsExit5BeforeAssembleRuns() throws Exception {
    // runtime holds run and assemble-runtime in /usr/libexec/s2i, which its label names: no assemble.
    var noAssemble = s2i("build", app("plain"), fixture("runtime"), outputImage("x"), "-p", "never",
        "--callback-url", "http://127.0.0.1:1/callback");
    assertThat(noAssemble.exitCode()).as(noAssemble.all()).isEqualTo(5);
    assertOneErrorLine(noAssemble, "has no assemble script at /usr/libexec/s2i/assemble");
    assertThat(noAssemble.stderr()).doesNotContain("tar or /bin/sh")
        .contains("Unable to invoke callback http://127.0.0.1:1/callback (attempt 1 of 3): the connection was refused");
    if (daemonless()) {
      return; // the image below is made with the Docker engine
    }
    // The same image with a label naming its empty working dir: assemble from the source, no run.
    String norun = outputImage("norun-builder");
    String made = Docker.run("create", FIXTURE + "runtime").stdout().strip();
    try {
      assertThat(Docker.run("commit", "--change", "LABEL io.openshift.s2i.scripts-url=image:///rt", made, norun)
          .exitCode()).isZero();
    } finally {
      Docker.run("rm", made);
    }
    Path src = writeApp("norun", "hello.txt", "hi\n", ".s2i/bin/assemble", "#!/bin/sh\necho assemble-ran\n");
    var noRun = s2i("build", src.toString(), norun, outputImage("x"), "-p", "never");
    assertThat(noRun.exitCode()).as(noRun.all()).isEqualTo(5);
    assertOneErrorLine(noRun, "has no run script at /rt/run");
    assertThat(noRun.stderr()).doesNotContain("assemble-ran");
  }

  @Test
  void anAssembleThatNeverEndsIsStoppedAtItsDeadline() throws Exception {
    Path src = writeApp("hang", "hello.txt", "hi\n", ".s2i/bin/assemble",
        "#!/bin/sh\necho assemble-started\nsleep 600 &\nexec sleep 600\n");
    List<String> args = new ArrayList<>(List.of("build", src.toString(), fixture("builder"), outputImage("hang"),
        "-p", "never", "--assemble-timeout", "3s"));
    String volume = "s2i-it-" + UUID.randomUUID().toString().substring(0, 8);
    if (engine().isEmpty()) {
      args.addAll(List.of("-v", volume + ":/data")); // made for the build, so removed with it
    }
    long start = System.nanoTime();
    var r = s2i(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.all()).isEqualTo(13);
    assertOneErrorLine(r, "assemble in " + fixture("builder") + ":latest did not finish within 3s (--assemble-timeout)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(90));
    if (engine().isEmpty()) {
      assertThat(Docker.run("volume", "inspect", volume).exitCode()).as("volume " + volume + " removed").isNotZero();
    }
  }

  @Test
  void networksAndVolumesTheEngineCannotGiveAreRefusedBeforeAnythingRuns() {
    if (engine().isEmpty()) {
      var r = s2i("build", app("plain"), fixture("builder"), outputImage("x"), "-p", "never", "--network", "s2i-it-no-such-net");
      assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
      assertOneErrorLine(r, "--network \"s2i-it-no-such-net\" names no network");
    } else {
      var r = s2i("build", app("plain"), fixture("builder"), outputImage("x"), "-p", "never", "-v", "cache:/data");
      assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
      assertOneErrorLine(r, "--volume entry \"cache:/data\" names a volume");
    }
  }

  /** kill -9 leaves the build's container and temporary directory; s2i cleanup finds and removes them. */
  @Test
  void whatAKilledBuildLeftIsRemovedByCleanup() throws Exception {
    Path src = writeApp("killed", "hello.txt", "hi\n", ".s2i/bin/assemble",
        "#!/bin/sh\necho assemble-started\nsleep 120\n");
    Process p = S2iProcess.start(tmp, javaTmp, withEngine(Map.of()), "build", src.toString(), fixture("builder"),
        outputImage("killed"), "-p", "never");
    try (var err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      boolean started = false;
      for (String line; (line = err.readLine()) != null; ) {
        if (line.contains("assemble-started")) {
          started = true;
          break;
        }
      }
      assertThat(started).as("assemble started").isTrue();
      p.destroyForcibly(); // SIGKILL: no clean-up of its own
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    try (var left = Files.list(javaTmp)) {
      assertThat(left.toList()).as("the killed build's temp dir").isNotEmpty();
    }
    var cleanup = s2i("cleanup");
    assertThat(cleanup.exitCode()).as(cleanup.all()).isZero();
    assertThat(cleanup.stderr()).contains("Removed temporary directory " + javaTmp)
        .contains(engine().isEmpty() ? "Removed docker container s2i_localhost_s2i_test_builder" : "Removed oci container");
    // The base class checks that no container, temp dir, oci container dir, mount or cache file is left.
  }
}
