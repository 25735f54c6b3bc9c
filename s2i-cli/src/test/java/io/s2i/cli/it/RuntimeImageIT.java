package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Extended builds with a runtime image (spec §7), and incremental extended builds. */
class RuntimeImageIT extends EngineTestBase {
  private final String runtime = fixture("runtime");

  @Test
  void artifactsFromTheLabelLandInTheRuntimeWorkdir() {
    String out = outputImage("rt");
    var r = s2i("build", app("plain"), fixture("builder"), out, "-p", "never", "--runtime-image", runtime);
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("---> assemble-runtime");
    JsonNode config = inspectImage(out).get("Config");
    assertThat(config.get("User").asText()).isEqualTo("1001");
    assertThat(config.get("WorkingDir").asText()).isEqualTo("/rt");
    assertThat(config.get("Cmd").get(0).asText()).isEqualTo("/usr/libexec/s2i/run");
    JsonNode labels = config.get("Labels");
    assertThat(labels.get("runtime.label").asText()).isEqualTo("yes");
    assertThat(labels.get("io.openshift.s2i.build.image").asText()).isEqualTo(fixture("builder:latest"));
    assertThat(labels.has("io.k8s.description")).isFalse();
    assertThat(runImage(out).stdout()).isEqualTo("hello from plain app\n");
    assertThat(sh(out, "cd /rt && find . -type f | sort; stat -c '%U %a' app/hello.txt; test -d /tmp/src || echo no-sources").stdout())
        .isEqualTo("./app/hello.txt\n./assemble-runtime-invoked\n./cache.txt\nroot 644\nno-sources\n");
  }

  @Test
  void explicitArtifactsScriptsFromSourceAndRuntimeUser() throws Exception {
    Path src = writeApp("rtsrc", "hello.txt", "hello rt\n",
        ".s2i/bin/assemble-runtime", "#!/bin/sh\nid -u > /rt/runtime-uid\n",
        ".s2i/bin/run", "#!/bin/sh\ncat /rt/deploy/dir/hello.txt\n");
    String out = outputImage("rtexplicit");
    var r = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--runtime-image", runtime,
        "-a", "/opt/app-root/src/hello.txt:deploy/dir", "--assemble-runtime-user", "0");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(inspectImage(out).get("Config").get("Cmd").get(0).asText()).isEqualTo("/rt/scripts/run");
    assertThat(runImage(out).stdout()).isEqualTo("hello rt\n");
    assertThat(sh(out, "cat /rt/runtime-uid").stdout()).isEqualTo("0\n");
  }

  @Test
  void incrementalExtendedBuildRestoresArtifacts() {
    String out = outputImage("rtinc");
    var first = s2i("build", app("plain"), fixture("builder"), out, "-p", "never", "--runtime-image", runtime,
        "--incremental", "--rm");
    assertThat(first.exitCode()).as(first.all()).isZero();
    String stateImage = inspectImage(out).get("Config").get("Labels").get("io.s2i.build.artifacts-image").asText();
    var second = s2i("build", app("plain"), fixture("builder"), out, "-p", "never", "--runtime-image", runtime,
        "--incremental", "--rm", "--no-cache");
    assertThat(second.exitCode()).as(second.all()).isZero();
    assertThat(second.stderr()).contains("---> Restoring artifacts");
    assertThat(imageExists(stateImage)).as("old builder state removed by --rm").isFalse();
    String newState = inspectImage(out).get("Config").get("Labels").get("io.s2i.build.artifacts-image").asText();
    Docker.removeImage(out);
    Docker.removeImage(newState);
  }

  @Test
  void badMappingsAndMissingArtifacts() {
    var relative = s2i("build", app("plain"), fixture("builder"), outputImage("bad"), "-p", "never",
        "--runtime-image", runtime, "-a", "relative/path:x");
    assertThat(relative.exitCode()).isEqualTo(2);
    assertThat(relative.stderr()).contains("source must be an absolute path");
    var escaping = s2i("build", app("plain"), fixture("builder"), outputImage("bad"), "-p", "never",
        "--runtime-image", runtime, "-a", "/opt/app-root/src/hello.txt:../up");
    assertThat(escaping.exitCode()).isEqualTo(2);
    assertThat(escaping.stderr()).contains("destination cannot start with '..'");
    var missing = s2i("build", app("plain"), fixture("builder"), outputImage("bad"), "-p", "never",
        "--runtime-image", runtime, "-a", "/opt/app-root/src/nothing-here.war");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.stderr().lines().filter(l -> l.startsWith("ERROR: ")).toList())
        .singleElement().asString().contains("/opt/app-root/src/nothing-here.war").contains("does not exist");
    var noLabel = s2i("build", app("plain"), fixture("builder"), outputImage("bad"), "-p", "never",
        "--runtime-image", fixture("builder"));
    assertThat(noLabel.exitCode()).isEqualTo(2);
    assertThat(noLabel.stderr()).contains("no runtime artifacts to copy were specified");
  }
}
