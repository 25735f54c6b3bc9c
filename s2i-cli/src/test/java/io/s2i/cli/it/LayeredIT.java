package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Builders without tar or /bin/sh (upstream's layered fallback, spec §3.3). */
class LayeredIT extends EngineTestBase {

  @Test
  void builderWithoutTarStillBuildsAndNamesTheRealBuilder() {
    String out = outputImage("notar");
    var r = s2i("build", app("plain"), fixture("notar"), out, "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("layered build will be performed");
    assertThat(inspectImage(out).get("Config").get("Labels").get("io.openshift.s2i.build.image").asText())
        .isEqualTo(fixture("notar:latest"));
    assertThat(runImage(out).stdout()).isEqualTo("hello from plain app\n");
    assertThat(sh(out, "stat -c %u /tmp/src/hello.txt; cat assemble-uid").stdout()).isEqualTo("1001\n1001\n");
  }

  @Test
  void builderWithoutShellRunsBashScriptsFromTheSource() throws Exception {
    Path src = writeApp("nosh", "hello.txt", "hi from bash\n",
        ".s2i/bin/assemble", "#!/bin/bash\nset -e\ncp -R /tmp/src/. /opt/app-root/src/\necho \"assembled by $BASH\"\n",
        ".s2i/bin/run", "#!/bin/bash\ncat /opt/app-root/src/hello.txt\n");
    String out = outputImage("nosh");
    var r = s2i("build", src.toString(), fixture("nosh"), out, "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("no /bin/sh").contains("assembled by /bin/bash");
    assertThat(runImage(out).stdout()).isEqualTo("hi from bash\n");
  }

  @Test
  void injectionsAreTruncatedWithoutAShell() throws Exception {
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(secrets.resolve("token"), "s3cr3t\n");
    Path src = writeApp("noshinject", "hello.txt", "hi\n",
        ".s2i/bin/assemble", "#!/bin/bash\ncat /tmp/secrets/token > /opt/app-root/src/seen\n",
        ".s2i/bin/run", "#!/bin/bash\ncat /opt/app-root/src/seen\n");
    String out = outputImage("noshinject");
    var r = s2i("build", src.toString(), fixture("nosh"), out, "-p", "never", "-i", secrets + ":/tmp/secrets");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(runImage(out).stdout()).isEqualTo("s3cr3t\n");
    assertThat(Docker.run("run", "--rm", "--network", "none", "--entrypoint", "/bin/bash", inDocker(out), "-c",
        "stat -c %s /tmp/secrets/token").stdout()).isEqualTo("0\n");
  }

  @Test
  void failingAssembleInTheFallbackReportsItsStatus() throws Exception {
    Path src = writeApp("notarfail", "hello.txt", "hi\n", "fail-with", "5\n");
    var r = s2i("build", src.toString(), fixture("notar"), outputImage("notarfail"), "-p", "never");
    assertThat(r.exitCode()).isEqualTo(6);
    assertThat(r.stderr()).contains("exit status 5");
  }
}
