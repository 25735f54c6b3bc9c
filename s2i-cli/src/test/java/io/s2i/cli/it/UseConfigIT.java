package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** {@code --use-config} and {@code .s2ifile} (spec §13.3), in upstream's file format. */
class UseConfigIT extends EngineTestBase {
  @Test
  void savesUpstreamsFormatAndRestoresItWithCommandLineFlagsWinning() throws Exception {
    Path app = writeApp("app1", "hello.txt", "hi\n");
    Files.move(app, tmp.resolve("app1"));
    String out = outputImage("cfg");

    var first = s2i("build", "app1", fixture("builder"), out, "--use-config", "-e", "A=1", "-e", "B=2",
        "-n", "dispname", "--context-dir", "", "--incremental-pull-policy", "never", "-p", "never");

    assertThat(first.exitCode()).as(first.all()).isZero();
    Path file = tmp.resolve(".s2ifile");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    assertThat(Files.readString(file)).isEqualTo("{\"source\":\"app1\",\"builderImage\":\"" + fixture("builder") + "\","
        + "\"tag\":\"" + out + "\",\"flags\":{\"application-name\":\"dispname\",\"context-dir\":\"\","
        + "\"env-0\":\"A=1\",\"env-1\":\"B=2\",\"incremental-pull-policy\":\"never\",\"pull-policy\":\"never\","
        + "\"use-config\":\"true\"}}");
    Docker.removeImage(out);

    var again = s2i("build", "--use-config");
    assertThat(again.exitCode()).as(again.all()).isZero();
    JsonNode config = inspectImage(out).get("Config");
    assertThat(config.get("Env").toString()).contains("\"A=1\"", "\"B=2\"");
    assertThat(config.get("Labels").get("io.k8s.display-name").asText()).isEqualTo("dispname");
    String replaced = inspectImage(out).get("Id").asText();

    var override = s2i("build", "--use-config", "-n", "other", "-e", "C=3");
    assertThat(override.exitCode()).as(override.all()).isZero();
    config = inspectImage(out).get("Config");
    assertThat(config.get("Labels").get("io.k8s.display-name").asText()).isEqualTo("other");
    assertThat(config.get("Env").toString()).contains("\"C=3\"").doesNotContain("A=1");
    JsonNode saved = new ObjectMapper().readTree(file.toFile());
    assertThat(saved.get("flags").get("application-name").asText()).isEqualTo("other");
    assertThat(saved.get("flags").get("env-0").asText()).isEqualTo("C=3");
    assertThat(saved.get("flags").has("env-1")).isFalse();
    Docker.removeImage(replaced);
  }

  @Test
  void legacyStifileIsReadWithADeprecationNotice() throws Exception {
    Path app = writeApp("app2", "hello.txt", "legacy\n");
    String out = outputImage("sti");
    Files.writeString(tmp.resolve(".stifile"), "{\"source\":\"" + app + "\",\"builderImage\":\"" + fixture("")
        + "builder\",\"tag\":\"" + out + "\",\"flags\":{\"env\":\"X=1,Y=2\",\"pull-policy\":\"never\",\"unknown-flag\":\"1\"}}");
    var r = s2i("build", "--use-config");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("DEPRECATED: Use .s2ifile instead of .stifile");
    assertThat(inspectImage(out).get("Config").get("Env").toString()).contains("\"X=1\"", "\"Y=2\"");
    assertThat(runImage(out).stdout()).isEqualTo("legacy\n");
  }

  @Test
  void withoutASavedFileMissingArgumentsAreStillAnError() {
    var r = s2i("build", "--use-config");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("needs a source and a builder image");
    assertThat(tmp.resolve(".s2ifile")).doesNotExist();
  }
}
