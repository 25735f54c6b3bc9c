package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reproducible means reproducible: with the same SOURCE_DATE_EPOCH, two builds of a source whose
 * assemble records its whole environment and host name in the image give the same image. The
 * build container's host name is fixed (the engine's default is the container's random id, also
 * in {@code HOSTNAME}).
 */
class ReproducibleIT extends EngineTestBase {
  private static final String RECORDING_ASSEMBLE = "#!/bin/sh\nset -e\ncp -R /tmp/src/. ./\n"
      + "env | sort > build-env.txt\nuname -n > build-hostname.txt\ncat /etc/hostname > etc-hostname.txt\n"
      + "cat /etc/hosts > etc-hosts.txt\n";

  @Test
  void twoBuildsIntoOciLayoutsGiveOneDigestAlthoughAssembleRecordsItsEnvironment() throws Exception {
    Path app = writeApp("recorder", "hello.txt", "hello\n", ".s2i/bin/assemble", RECORDING_ASSEMBLE);
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path digest = tmp.resolve("digest-" + i);
      S2iProcess.Result r = s2i("build", app.toString(), fixture("builder"), "oci:" + tmp.resolve("layout-" + i) + ":app",
          "-p", "never", "--source-date-epoch", "1700000000", "--digest-file", digest.toString());
      assertThat(r.exitCode()).as(r.all()).isZero();
      digests.add(Files.readString(digest).strip());
    }
    assertThat(digests.get(0)).startsWith("sha256:").isEqualTo(digests.get(1));
  }

  @Test
  void theBuildContainersHostnameIsFixedWithAnEpoch() throws Exception {
    // Without an epoch each container keeps the engine's own name: the engine contract shows it.
    Path app = writeApp("hostname", "hello.txt", "hello\n", ".s2i/bin/assemble", RECORDING_ASSEMBLE);
    String reproducible = outputImage("repro-host");
    S2iProcess.Result r = s2i("build", app.toString(), fixture("builder"), reproducible, "-p", "never",
        "--source-date-epoch", "1700000000");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(sh(reproducible, "cat build-hostname.txt etc-hostname.txt; grep ^HOSTNAME= build-env.txt")
        .stdout()).isEqualTo("s2i-build\ns2i-build\nHOSTNAME=s2i-build\n");

  }
}
