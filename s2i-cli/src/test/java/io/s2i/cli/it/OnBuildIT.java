package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
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
    var r = s2i("build", startApp("ob").toString(), fixture("onbuild"), out, "-p", "never", "-e", "FLAG=1");
    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode config = inspectImage(out).get("Config");
    assertThat(config.get("Entrypoint").get(0).asText()).isEqualTo("./start.sh");
    assertThat(config.get("Env").toString()).contains("FROM_SOURCE=yes").contains("FLAG=1");
    assertThat(runImage(out).stdout()).isEqualTo("hello onbuild\n");
    assertThat(sh(out, "test -f /app/onbuild-ran && echo triggers-ran").stdout()).isEqualTo("triggers-ran\n");
  }

  @Test
  void scriptsFromOutsideTheImageArePlacedAtTheRoot() throws Exception {
    Path src = writeApp("obscripts", "hello.txt", "hello\n",
        ".s2i/bin/assemble", "#!/bin/sh\necho assembled > /app/assembled\n",
        ".s2i/bin/run", "#!/bin/sh\ncat /app/assembled\n");
    String out = outputImage("obscripts");
    var r = s2i("build", src.toString(), fixture("onbuild"), out, "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(inspectImage(out).get("Config").get("Entrypoint").get(0).asText()).isEqualTo("./run");
    assertThat(runImage(out).stdout()).isEqualTo("assembled\n");
  }

  /**
   * Every kind of trigger, in JSON and shell form, with variables and a continuation Docker joined
   * when it stored the trigger: files copied, unpacked and fetched into place with their owners,
   * commands run as the users the triggers say, and the image config they set.
   */
  @Test
  void triggersOfEveryKindBuildTheSameImageOnEveryEngine() throws Exception {
    Path src = writeApp("oball", "hello.txt", "hello all\n",
        "start.sh", "#!/bin/sh\necho \"$(cat /app/src/hello.txt) $*\"\n",
        "a.conf", "a\n", "b.conf", "b\n", "ignored.txt", "not copied\n");
    Path inner = Files.createDirectories(tmp.resolve("tarred/inner"));
    Files.writeString(inner.resolve("x.txt"), "from the archive\n");
    Process tar = new ProcessBuilder("tar", "czf", src.resolve("files.tar.gz").toString(), "--owner=123",
        "--group=45", "-C", tmp.resolve("tarred").toString(), "inner").redirectErrorStream(true).start();
    assertThat(tar.waitFor()).isZero();
    String out = outputImage("oball");
    var r = s2i("build", src.toString(), fixture("onbuild-all"), out, "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isZero();

    JsonNode config = inspectImage(out).get("Config");
    assertThat(config.get("Env").toString()).contains("\"APP_HOME=/app\"", "\"APP_GREETING=hello world\"",
        "\"EARLY=x\"", "\"LATE=/app/bin\"").doesNotContain("GREETING=hello\"");
    assertThat(config.get("Labels").get("app.kind").asText()).isEqualTo("onbuild demo");
    assertThat(config.get("Labels").get("app.home").asText()).isEqualTo("/app");
    assertThat(config.get("WorkingDir").asText()).isEqualTo("/app/src");
    assertThat(config.get("User").asText()).isEqualTo("1001");
    assertThat(config.get("ExposedPorts").fieldNames()).toIterable().containsExactlyInAnyOrder("8080/tcp", "9000/udp",
        "9001/udp");
    assertThat(config.get("Volumes").fieldNames()).toIterable().containsExactly("/data");
    assertThat(config.get("StopSignal").asText()).isEqualTo("SIGTERM");
    assertThat(config.get("Healthcheck").get("Test").toString()).isEqualTo("[\"CMD-SHELL\",\"test -f /app/greeting\"]");
    assertThat(config.get("Healthcheck").get("Interval").asLong()).isEqualTo(30_000_000_000L);
    assertThat(config.get("Healthcheck").get("Retries").asInt()).isEqualTo(2);
    assertThat(config.get("Cmd").toString()).isEqualTo("[\"--flag\"]");
    assertThat(config.get("Entrypoint").toString()).isEqualTo("[\"./start.sh\"]");
    assertThat(config.get("OnBuild") == null || config.get("OnBuild").isNull() || config.get("OnBuild").isEmpty())
        .as("the triggers ran; the image has none of its own").isTrue();

    assertThat(sh(out, "stat -c '%n %u:%g %a' hello.txt start.sh /app/unpacked/inner/x.txt; cat /app/unpacked/inner/x.txt;"
        + " ls /etc/app; cat /app/greeting /app/run-uid /tmp/uid-after-user; test -e /app/src/ignored.txt || echo no-ignored")
        .stdout()).isEqualTo("hello.txt 1001:0 644\nstart.sh 1001:0 755\n/app/unpacked/inner/x.txt 123:45 644\n"
            + "from the archive\na.conf\nb.conf\nhello world (hello)\n0\n1001\nno-ignored\n");
    assertThat(runImage(out).stdout()).isEqualTo("hello all --flag\n");
  }

  @Test
  void noEntrypointIsAClearError() {
    var r = s2i("build", app("plain"), fixture("onbuild"), outputImage("noentry"), "-p", "never");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("no valid entrypoint specified");
  }

  @Test
  void allowedUidsApplyToOnbuildUserTriggers() throws Exception {
    var root = s2i("build", startApp("obroot").toString(), fixture("onbuild-root"), outputImage("obroot"), "-p", "never", "-u", "1-");
    assertThat(root.exitCode()).isEqualTo(9);
    assertThat(root.stderr()).contains("ONBUILD");
    String out = outputImage("obnum");
    var numeric = s2i("build", startApp("obnum").toString(), fixture("onbuild-numeric"), out, "-p", "never", "-u", "1-");
    assertThat(numeric.exitCode()).as(numeric.all()).isZero();
  }
}
