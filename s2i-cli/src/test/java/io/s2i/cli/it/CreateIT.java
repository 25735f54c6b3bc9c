package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code s2i create} (spec §11): the skeleton builds on a local Debian base and passes its own test. */
class CreateIT extends EngineTestBase {

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  /** Runs a command with output merged; returns exit code and output. */
  private static Docker.Result exec(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Docker.Result(p.exitValue(), out, "");
  }

  @Test
  void skeletonHasUpstreamsLayoutBuildsAndPassesItsOwnTest() throws Exception {
    String image = outputImage("scaffold");
    String name = image.substring(0, image.lastIndexOf(':'));
    Path dest = tmp.resolve("new/builder");

    var r = s2i("create", name, dest.toString());

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(mode(dest)).isEqualTo("rwx------");
    for (String script : List.of("assemble", "run", "usage", "save-artifacts")) {
      assertThat(mode(dest.resolve("s2i/bin/" + script))).isEqualTo("rwxr-xr-x");
    }
    assertThat(mode(dest.resolve("Dockerfile"))).isEqualTo("rw-------");
    assertThat(mode(dest.resolve("test/run"))).isEqualTo("rwx------");
    assertThat(dest.resolve("test/test-app/index.html")).content().contains("Hello World");
    assertThat(dest.resolve("Makefile")).content().contains("IMAGE_NAME = " + name);
    assertThat(dest.resolve("s2i/bin/usage")).content().contains("s2i build <source code path/URL> " + name);

    var build = exec(dest, Map.of("DOCKER_BUILDKIT", "0"), "docker", "build", "--build-arg",
        "BASE_IMAGE=" + FIXTURE + "base", "-t", image, ".");
    assertThat(build.exitCode()).as(build.stdout()).isZero();
    var test = exec(dest, Map.of("IMAGE_NAME", name, "S2I", S2iProcess.REPO.resolve("bin/s2i").toString(),
        "S2I_JAVA_OPTS", "-Djava.io.tmpdir=" + javaTmp), "test/run");
    assertThat(test.exitCode()).as(test.stdout()).isZero();
    assertThat(test.stdout()).contains("SUCCESS: " + name + " passed the test");
    assertThat(Docker.imageExists(name + "-testapp")).isFalse();
  }

  @Test
  void existingFilesAreKeptAndReported() throws Exception {
    Path dest = tmp.resolve("again");
    assertThat(s2i("create", "my-builder", dest.toString()).exitCode()).isZero();
    Files.writeString(dest.resolve("Dockerfile"), "mine\n");

    var r = s2i("create", "my-builder", dest.toString());

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr().lines().filter(l -> l.startsWith("WARNING: File already exists: ")).count()).isEqualTo(9);
    assertThat(dest.resolve("Dockerfile")).hasContent("mine");
  }

  @Test
  void missingArgumentsAndBadNamesAreUsageErrors() {
    assertThat(s2i("create", "only-name").exitCode()).isEqualTo(2);
    var r = s2i("create", "Bad Name", tmp.resolve("x").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("invalid image name");
    assertThat(tmp.resolve("x")).doesNotExist();
  }
}
