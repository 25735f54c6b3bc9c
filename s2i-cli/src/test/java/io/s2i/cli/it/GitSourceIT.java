package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;

/** Git sources (spec §9) through the CLI: local work trees, file:// URLs, refs, context dirs. */
class GitSourceIT extends EngineTestBase {
  static final PersonIdent ALICE = new PersonIdent("Alice Author", "alice@example.com",
      Instant.parse("2026-11-23T10:47:30Z"), ZoneOffset.UTC);

  /** A repository "app" with main (two commits), tag v1 on the first and branch feature. */
  private RevCommit makeRepo(Path dir) throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      Files.writeString(dir.resolve("hello.txt"), "first\n");
      git.add().addFilepattern(".").call();
      git.commit().setAuthor(ALICE).setCommitter(ALICE).setMessage("First").call();
      git.tag().setName("v1").call();
      git.branchCreate().setName("feature").call();
      Files.createDirectories(dir.resolve("sub/.s2i"));
      Files.writeString(dir.resolve("sub/hello.txt"), "from sub\n");
      Files.writeString(dir.resolve("sub/.s2i/environment"), "SUBENV=1\n");
      Files.writeString(dir.resolve("hello.txt"), "hello from main\n");
      git.add().addFilepattern(".").call();
      return git.commit().setAuthor(ALICE).setCommitter(ALICE)
          .setMessage("x".repeat(90) + "\n\nbody").call();
    }
  }

  @Test
  void localRepositoryBuildsCommittedContentWithCommitLabelsAndWarnsAboutTheRest() throws Exception {
    RevCommit head = makeRepo(tmp.resolve("app"));
    Files.writeString(tmp.resolve("app/hello.txt"), "uncommitted edit\n");
    String out = outputImage("gitlocal");

    var r = s2i("build", "app", fixture("builder"), out, "-p", "never", "--keep-inputs");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("WARNING: app has 1 uncommitted change(s) that will not be built (hello.txt)")
        .contains("--copy");
    JsonNode labels = inspectImage(out).get("Config").get("Labels");
    assertThat(labels.get("io.openshift.s2i.build.commit.author").asText()).isEqualTo("Alice Author <alice@example.com>");
    assertThat(labels.get("io.openshift.s2i.build.commit.date").asText()).isEqualTo("Mon Nov 23 10:47:30 2026 +0000");
    assertThat(labels.get("io.openshift.s2i.build.commit.id").asText()).isEqualTo(head.getName());
    assertThat(labels.get("io.openshift.s2i.build.commit.ref").asText()).isEqualTo("main");
    assertThat(labels.get("io.openshift.s2i.build.commit.message").asText()).isEqualTo("x".repeat(78) + "..");
    assertThat(labels.get("io.openshift.s2i.build.source-location").asText()).isEqualTo("./app");
    assertThat(labels.has("io.openshift.s2i.build.source-context-dir")).isFalse();
    assertThat(runImage(out).stdout()).isEqualTo("hello from main\n");
    assertThat(sh(out, "test -e /tmp/src/.git && echo has-git || echo no-git").stdout()).isEqualTo("no-git\n");
  }

  @Test
  void fileUrlWithTagRefAndContextDir() throws Exception {
    makeRepo(tmp.resolve("app"));
    String url = "file://" + tmp.resolve("app");
    String tagged = outputImage("gittag");
    var r = s2i("build", url, fixture("builder"), tagged, "-p", "never", "--ref", "v1");
    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode labels = inspectImage(tagged).get("Config").get("Labels");
    assertThat(labels.get("io.openshift.s2i.build.commit.ref").asText()).isEqualTo("HEAD");
    assertThat(labels.get("io.openshift.s2i.build.source-location").asText()).isEqualTo(url);
    assertThat(runImage(tagged).stdout()).isEqualTo("first\n");

    String ctx = outputImage("gitctx");
    var r2 = s2i("build", url, fixture("builder"), ctx, "-p", "never", "--context-dir", "sub");
    assertThat(r2.exitCode()).as(r2.all()).isZero();
    JsonNode config = inspectImage(ctx).get("Config");
    assertThat(config.get("Labels").get("io.openshift.s2i.build.source-context-dir").asText()).isEqualTo("sub");
    assertThat(config.get("Env").toString()).contains("SUBENV=1");
    assertThat(runImage(ctx).stdout()).isEqualTo("from sub\n");
  }

  @Test
  void aMissingBuilderFailsTheBuildWhileTheCloneRunsBesideIt() throws Exception {
    makeRepo(tmp.resolve("app"));
    var r = s2i("build", "file://" + tmp.resolve("app"), "127.0.0.1:1/never/builder", "127.0.0.1:1/never/built",
        "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
    assertThat(r.stderr().lines().filter(l -> l.startsWith("ERROR")).toList()).as(r.all())
        .singleElement().asString().contains("127.0.0.1:1/never/builder");
    // checkNothingLeft: the clone's directory went with the workspace, after the clone stopped.
  }

  @Test
  void badGitInputIsOneLineErrorAndLeavesNothing() throws Exception {
    makeRepo(tmp.resolve("app"));
    Git.init().setDirectory(tmp.resolve("empty").toFile()).call().close();
    String[][] cases = {
        {"app", "--ref", "nonexistent"},
        {"app", "--context-dir", "../outside"},
        {"empty"},
        {"http://127.0.0.1:1/nothing.git"},
        {"file://relhost/tmp/x"},
    };
    String[] expected = {
        "ERROR: ref \"nonexistent\" not found in ./app",
        "ERROR: context dir ../outside lies outside the repository ./app",
        "ERROR: The git repository \"empty\" has no tracking information or commits",
        "ERROR: could not clone http://127.0.0.1:1/nothing.git",
        "ERROR: file url \"file://relhost/tmp/x\" has non-empty host \"relhost\"",
    };
    for (int i = 0; i < cases.length; i++) {
      String[] args = new String[cases[i].length + 4];
      args[0] = "build";
      args[1] = cases[i][0];
      args[2] = fixture("builder");
      args[3] = "127.0.0.1:1/never/built";
      args[4] = "-p=never";
      System.arraycopy(cases[i], 1, args, 5, cases[i].length - 1);
      var r = s2i(args);
      assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
      assertThat(r.stderr().lines().filter(l -> l.startsWith("ERROR")).toList()).as(r.all())
          .singleElement().asString().startsWith(expected[i]);
    }
  }
}
