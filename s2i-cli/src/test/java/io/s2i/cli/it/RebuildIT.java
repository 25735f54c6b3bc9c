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
}
