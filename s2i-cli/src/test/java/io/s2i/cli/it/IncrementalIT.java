package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Incremental builds (spec §6, upstream scenarios 19–23) and hostile or broken artifacts. */
class IncrementalIT extends EngineTestBase {

  private String imageId(String ref) {
    return inspectImage(ref).get("Id").asText();
  }

  @Test
  void incrementalBuildRestoresArtifactsAndRemovesThePreviousImage() {
    String out = outputImage("inc");
    var first = s2i("build", app("plain"), fixture("builder"), out, "-p", "never", "--keep-inputs", "--incremental", "--no-cache");
    assertThat(first.exitCode()).as(first.all()).isZero();
    assertThat(first.stderr()).doesNotContain("Restoring artifacts");
    String firstId = imageId(out);
    String firstCache = sh(out, "cat cache.txt").stdout();

    var second = s2i("build", app("plain"), fixture("builder"), out, "-p", "never", "--keep-inputs", "--incremental", "--rm", "--no-cache");
    assertThat(second.exitCode()).as(second.all()).isZero();
    assertThat(second.stderr()).contains("---> Restoring artifacts");
    assertThat(sh(out, "cat cache-restored.txt").stdout()).isEqualTo(firstCache);
    assertThat(sh(out, "stat -c '%a %u' /tmp/artifacts").stdout()).isEqualTo("700 1001\n");
    assertThat(imageExists(firstId)).as("previous image removed by --rm").isFalse();
  }

  @Test
  void restoredArtifactsLeaveNoMountPointAndMetadataLabelsStillApply() throws Exception {
    Path src = writeApp("incmeta", "hello.txt", "hi\n", "metadata.json",
        "{\"labels\":[{\"custom.label\":\"incremental\"}]}");
    String out = outputImage("incmeta");
    assertThat(s2i("build", src.toString(), fixture("builder"), out, "-p", "never").exitCode()).isZero();
    var second = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--incremental", "--rm", "--no-cache");
    assertThat(second.exitCode()).as(second.all()).isZero();
    assertThat(second.stderr()).contains("---> Restoring artifacts");
    assertThat(inspectImage(out).get("Config").get("Labels").get("custom.label").asText()).isEqualTo("incremental");
    assertThat(topLayerEntries(out)).as("the artifacts' pipes are mounted under /dev only while the build runs")
        .noneMatch(e -> e.startsWith("dev/"))
        .contains("tmp/.s2i/image_metadata.json")
        .noneMatch(e -> e.startsWith("tmp/artifacts") || e.startsWith("tmp/src"));
  }

  @Test
  void withoutRmThePreviousImageStays() {
    String out = outputImage("keep");
    assertThat(s2i("build", app("plain"), fixture("builder"), out, "-p", "never").exitCode()).isZero();
    String firstId = imageId(out);
    var second = s2i("build", app("plain"), fixture("builder"), out, "-p", "never", "--incremental", "--no-cache");
    assertThat(second.exitCode()).as(second.all()).isZero();
    assertThat(second.stderr()).contains("---> Restoring artifacts");
    try {
      assertThat(imageExists(firstId)).isTrue();
    } finally {
      Docker.removeImage(firstId);
    }
  }

  @Test
  void missingSaveArtifactsInTheImageGivesAWarningAndACleanBuild() {
    String out = outputImage("nosave");
    assertThat(s2i("build", app("plain"), fixture("nosave"), out, "-p", "never").exitCode()).isZero();
    String firstId = imageId(out);
    var second = s2i("build", app("plain"), fixture("nosave"), out, "-p", "never", "--incremental", "--rm", "--no-cache");
    assertThat(second.exitCode()).as(second.all()).isZero();
    assertThat(second.stderr()).contains("Clean build will be performed because of error saving previous build artifacts");
    assertThat(sh(out, "test -f cache-restored.txt || echo clean").stdout()).isEqualTo("clean\n");
    assertThat(imageExists(firstId)).isFalse();
  }

  @Test
  void saveArtifactsPrintingJunkIsNamedClearly() throws Exception {
    Path src = writeApp("junk", "hello.txt", "hi\n", ".s2i/bin/save-artifacts",
        "#!/bin/sh\necho 'Saving my artifacts now'\ncd /opt/app-root/src && tar cf - cache.txt\n");
    String out = outputImage("junk");
    assertThat(s2i("build", src.toString(), fixture("builder"), out, "-p", "never").exitCode()).isZero();
    var second = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--incremental", "--rm", "--no-cache");
    assertThat(second.exitCode()).as(second.all()).isZero();
    assertThat(second.stderr()).contains("not a tar archive").contains("Saving my artifacts now")
        .doesNotContain("Restoring artifacts");
  }

  @Test
  void ctrlCWhileSaveArtifactsRunsRemovesBothContainers() throws Exception {
    Path src = writeApp("slowsave", "hello.txt", "hi\n", ".s2i/bin/save-artifacts",
        "#!/bin/sh\necho save-started >&2\nsleep 120\n");
    String out = outputImage("slowsave");
    assertThat(s2i("build", src.toString(), fixture("builder"), out, "-p", "never").exitCode()).isZero();
    Process p = S2iProcess.start(tmp, javaTmp, withEngine(Map.of()), "build", src.toString(), fixture("builder"), out,
        "-p", "never", "--incremental", "--no-cache");
    try (var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(),
        java.nio.charset.StandardCharsets.UTF_8))) {
      boolean started = false;
      for (String line; (line = err.readLine()) != null; ) {
        if (line.contains("save-started")) {
          started = true;
          break;
        }
      }
      assertThat(started).as("save-artifacts started").isTrue();
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
      assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("s2i exits after Ctrl-C").isTrue();
      assertThat(p.exitValue()).isEqualTo(130);
    } finally {
      p.destroyForcibly();
    }
    // The base class checks containers, images and temp dirs after each test.
    try (var left = java.nio.file.Files.list(javaTmp)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void hostileArchivesAreRefused() throws Exception {
    for (String script : new String[] {
        "cd /opt/app-root/src/sub && tar cf - -P ../hello.txt",
        "tar cf - -P /etc/hostname",
        "cd /tmp && rm -rf l && mkdir l && ln -s /etc/passwd l/link && tar cf - l"}) {
      Path src = writeApp("hostile" + Math.abs(script.hashCode()), "hello.txt", "hi\n", "sub/x", "x\n",
          ".s2i/bin/save-artifacts", "#!/bin/sh\nset -e\n" + script + "\n");
      String out = outputImage("hostile");
      assertThat(s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--keep-inputs").exitCode()).isZero();
      var second = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--keep-inputs", "--incremental", "--rm", "--no-cache");
      assertThat(second.exitCode()).as(second.all()).isZero();
      assertThat(second.stderr()).as(script).contains("Clean build will be performed").containsPattern("refusing (archive entry|symlink)");
      assertThat(sh(out, "ls -A /tmp/artifacts 2>/dev/null | wc -l").stdout()).isEqualTo("0\n");
    }
  }

  @Test
  void linksEmptyDirectoriesAndModesSurviveTheRoundTrip() throws Exception {
    Path src = writeApp("links", "hello.txt", "hi\n",
        ".s2i/bin/assemble", String.join("\n", "#!/bin/sh", "set -e",
            "if [ -d /tmp/artifacts/d ]; then cd /tmp/artifacts/d && stat -c '%n %F %a %h' empty f hard link > /opt/app-root/src/restored.txt; fi",
            "mkdir -p /opt/app-root/src/art/d/empty && cd /opt/app-root/src/art",
            "echo x > d/f && chmod 640 d/f && ln -sf f d/link && ln -f d/f d/hard", ""),
        ".s2i/bin/save-artifacts", "#!/bin/sh\ncd /opt/app-root/src/art && tar cf - d\n");
    String out = outputImage("links");
    assertThat(s2i("build", src.toString(), fixture("builder"), out, "-p", "never").exitCode()).isZero();
    var second = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--incremental", "--rm", "--no-cache");
    assertThat(second.exitCode()).as(second.all()).isZero();
    assertThat(sh(out, "cat restored.txt").stdout()).isEqualTo(
        "empty directory 755 2\nf regular file 640 2\nhard regular file 640 2\nlink symbolic link 777 1\n");
  }

  @Test
  void firstIncrementalBuildWithoutPreviousImageIsClean() {
    String out = outputImage("first");
    var r = s2i("build", app("plain"), fixture("builder"), out, "-p", "never", "--incremental",
        "--incremental-pull-policy", "never", "--loglevel", "1");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("Clean build will be performed");
  }
}
