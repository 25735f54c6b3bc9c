package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;

/** {@code s2i rebuild} (spec §12): the build is reconstructed from the image's labels. */
class RebuildIT extends EngineTestBase {
  @Test
  void rebuildsTheRecordedCommitWithTheRecordedBuilderContextDirAndName() throws Exception {
    Path repo = tmp.resolve("app");
    RevCommit first;
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      Files.createDirectories(repo.resolve("sub"));
      Files.writeString(repo.resolve("sub/hello.txt"), "version 1\n");
      git.add().addFilepattern(".").call();
      first = git.commit().setAuthor(GitSourceIT.ALICE).setCommitter(GitSourceIT.ALICE).setMessage("v1").call();
    }
    String original = outputImage("rb");
    var build = s2i("build", "app", fixture("builder"), original, "-p", "never", "--context-dir", "sub", "-n", "My App");
    assertThat(build.exitCode()).as(build.all()).isZero();
    try (Git git = Git.open(repo.toFile())) {
      Files.writeString(repo.resolve("sub/hello.txt"), "version 2\n");
      git.commit().setAll(true).setAuthor(GitSourceIT.ALICE).setCommitter(GitSourceIT.ALICE).setMessage("v2").call();
    }
    String rebuilt = outputImage("rb2");

    var r = s2i("rebuild", original, rebuilt, "-p", "never");

    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode labels = inspectImage(rebuilt).get("Config").get("Labels");
    assertThat(labels.get("io.openshift.s2i.build.commit.id").asText()).isEqualTo(first.getName());
    assertThat(labels.get("io.openshift.s2i.build.source-location").asText()).isEqualTo("./app");
    assertThat(labels.get("io.openshift.s2i.build.source-context-dir").asText()).isEqualTo("sub");
    assertThat(labels.get("io.openshift.s2i.build.image").asText()).isEqualTo(fixture("builder:latest"));
    assertThat(labels.get("io.k8s.display-name").asText()).isEqualTo("My App");
    assertThat(runImage(rebuilt).stdout()).isEqualTo("version 1\n");
  }

  @Test
  void imageWithoutS2iLabelsIsAClearError() {
    var r = s2i("rebuild", fixture("builder"), "127.0.0.1:1/never/built", "-p", "never");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("ERROR: required label \"io.openshift.s2i.build.image\" not found in image");
  }

  @Test
  void incrementalRebuildRestoresArtifactsAndRmRemovesThePreviousImage() {
    if (daemonless()) {
      return; // it looks at the Docker engine's images (the previous one gone): shown there
    }
    String out = outputImage("rbinc");
    var build = s2i("build", app("plain"), FIXTURE + "builder", out, "-p", "never");
    assertThat(build.exitCode()).as(build.all()).isZero();
    String previous = Docker.inspectImage(out).get("Id").asText();

    var r = s2i("rebuild", out, "-p", "never", "--incremental", "--incremental-pull-policy", "never", "--rm");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("---> Restoring artifacts");
    assertThat(Docker.inspectImage(out).get("Id").asText()).isNotEqualTo(previous);
    assertThat(Docker.imageExists(previous)).as("the previous image is removed by --rm").isFalse();
  }

  @Test
  void anExtendedBuildIsRebuiltExtendedAndItsRuntimeImageFollowsTheRuntimePullPolicy() throws Exception {
    if (daemonless()) {
      return; // its runtime image is made by tagging in the Docker engine: shown there
    }
    // A runtime image only this machine has: a pull of it fails at once.
    String runtime = "127.0.0.1:1/s2i-it/runtime-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ":1";
    assertThat(Docker.run("tag", FIXTURE + "runtime", runtime).exitCode()).isZero();
    String original = outputImage("rbext");
    String rebuilt = outputImage("rbext2");
    String listing = "cd /rt && find . -type f | sort; stat -c '%U' app/hello.txt";
    try {
      var build = s2i("build", app("plain"), FIXTURE + "builder", original, "-p", "never", "--runtime-image", runtime,
          "-a", "/opt/app-root/src/hello.txt:app", "--assemble-runtime-user", "0");
      assertThat(build.exitCode()).as(build.all()).isZero();
      JsonNode labels = Docker.inspectImage(original).get("Config").get("Labels");
      assertThat(labels.get("io.s2i.build.runtime-image").asText()).isEqualTo(runtime);
      assertThat(labels.get("io.s2i.build.runtime-artifacts").asText()).isEqualTo("/opt/app-root/src/hello.txt:app");
      assertThat(labels.get("io.s2i.build.assemble-runtime-user").asText()).isEqualTo("0");

      var r = s2i("rebuild", original, rebuilt, "-p", "never", "--runtime-pull-policy", "never");

      assertThat(r.exitCode()).as(r.all()).isZero();
      assertThat(r.stderr()).contains("---> assemble-runtime");
      assertThat(Docker.runImage(rebuilt).stdout()).isEqualTo("hello from plain app\n");
      assertThat(Docker.sh(rebuilt, listing).stdout()).isEqualTo(Docker.sh(original, listing).stdout())
          .contains("./assemble-runtime-invoked");
      JsonNode again = Docker.inspectImage(rebuilt).get("Config").get("Labels");
      assertThat(again.get("io.s2i.build.runtime-image").asText()).isEqualTo(runtime);
      assertThat(again.get("io.s2i.build.assemble-runtime-user").asText()).isEqualTo("0");
    } finally {
      Docker.removeImage(runtime);
    }
    var never = s2i("rebuild", original, rebuilt, "-p", "never", "--runtime-pull-policy", "never");
    assertThat(never.exitCode()).as(never.all()).isEqualTo(3);
    assertThat(never.stderr()).contains(runtime).doesNotContain("unable to pull");
  }
}
