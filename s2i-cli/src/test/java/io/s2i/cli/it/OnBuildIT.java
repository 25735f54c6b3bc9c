package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Builders with ONBUILD triggers (spec §3.2, upstream scenarios 9, 15, 16, 24). */
class OnBuildIT extends EngineTestBase {

  private Path startApp(String name) throws Exception {
    return writeApp(name, "hello.txt", "hello onbuild\n", "start.sh", "#!/bin/sh\ncat /app/hello.txt\n",
        ".s2i/environment", "FROM_SOURCE=yes\n");
  }

  @Test
  void triggersRunOnTheSourceAndTheEntrypointIsGuessed() throws Exception {
    String out = outputImage("onbuild");
    var r = s2i("build", startApp("ob").toString(), FIXTURE + "onbuild", out, "-p", "never", "-e", "FLAG=1");
    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode config = Docker.inspectImage(out).get("Config");
    assertThat(config.get("Entrypoint").get(0).asText()).isEqualTo("./start.sh");
    assertThat(config.get("Env").toString()).contains("FROM_SOURCE=yes").contains("FLAG=1");
    assertThat(Docker.runImage(out).stdout()).isEqualTo("hello onbuild\n");
    assertThat(Docker.sh(out, "test -f /app/onbuild-ran && echo triggers-ran").stdout()).isEqualTo("triggers-ran\n");
  }

  @Test
  void scriptsFromOutsideTheImageArePlacedAtTheRoot() throws Exception {
    Path src = writeApp("obscripts", "hello.txt", "hello\n",
        ".s2i/bin/assemble", "#!/bin/sh\necho assembled > /app/assembled\n",
        ".s2i/bin/run", "#!/bin/sh\ncat /app/assembled\n");
    String out = outputImage("obscripts");
    var r = s2i("build", src.toString(), FIXTURE + "onbuild", out, "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(Docker.inspectImage(out).get("Config").get("Entrypoint").get(0).asText()).isEqualTo("./run");
    assertThat(Docker.runImage(out).stdout()).isEqualTo("assembled\n");
  }

  @Test
  void noEntrypointIsAClearError() {
    var r = s2i("build", app("plain"), FIXTURE + "onbuild", outputImage("noentry"), "-p", "never");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("no valid entrypoint specified");
  }

  @Test
  void allowedUidsApplyToOnbuildUserTriggers() throws Exception {
    var root = s2i("build", startApp("obroot").toString(), FIXTURE + "onbuild-root", outputImage("obroot"), "-p", "never", "-u", "1-");
    assertThat(root.exitCode()).isEqualTo(9);
    assertThat(root.stderr()).contains("ONBUILD");
    String out = outputImage("obnum");
    var numeric = s2i("build", startApp("obnum").toString(), FIXTURE + "onbuild-numeric", out, "-p", "never", "-u", "1-");
    assertThat(numeric.exitCode()).as(numeric.all()).isZero();
  }
}
