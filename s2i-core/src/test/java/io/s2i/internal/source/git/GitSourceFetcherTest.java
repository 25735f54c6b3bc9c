package io.s2i.internal.source.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.BuildEvent;
import io.s2i.api.SourceInfo;
import io.s2i.api.SourceSpec;
import io.s2i.internal.build.Workspace;
import io.s2i.internal.build.step.FetchSourceStep;
import io.s2i.internal.source.PreparedSource;
import io.s2i.internal.source.SourceFetchException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git sources on real repositories made here, over local paths, {@code file://} and HTTP. */
class GitSourceFetcherTest {
  static final PersonIdent ALICE = new PersonIdent("Alice Author", "alice@example.com",
      Instant.parse("2026-11-23T10:47:30Z"), ZoneOffset.UTC);

  @TempDir Path tmp;
  Workspace workspace;
  final List<BuildEvent.Log> logs = new ArrayList<>();
  Path repo;
  RevCommit mainCommit;
  RevCommit featureCommit;

  @BeforeEach
  void makeRepository() throws Exception {
    workspace = Workspace.create(false);
    repo = tmp.resolve("app");
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      write(repo, "hello.txt", "committed\n");
      write(repo, "sub/.s2i/environment", "SUBENV=1\n");
      git.add().addFilepattern(".").call();
      git.commit().setAuthor(ALICE).setCommitter(ALICE).setMessage("First commit").call();
      git.tag().setName("v1").call();
      git.branchCreate().setName("feature").call();
      git.checkout().setName("feature").call();
      write(repo, "feature.txt", "feature\n");
      git.add().addFilepattern(".").call();
      featureCommit = git.commit().setAuthor(ALICE).setCommitter(ALICE)
          .setMessage("A feature whose subject line is much longer than eighty columns, so it is cut short\n\nbody").call();
      git.checkout().setName("main").call();
      write(repo, "hello.txt", "committed on main\n");
      git.add().addFilepattern(".").call();
      mainCommit = git.commit().setAuthor(ALICE).setCommitter(ALICE).setMessage("Second commit").call();
    }
  }

  @AfterEach
  void removeWorkspace() {
    workspace.close();
    assertThat(workspace.root()).doesNotExist();
  }

  private static void write(Path dir, String file, String content) throws IOException {
    Path p = dir.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private PreparedSource fetch(String location, String ref, String contextDir, boolean ignoreSubmodules)
      throws SourceFetchException {
    SourceSpec spec = new SourceSpec(location, Optional.ofNullable(ref), Optional.ofNullable(contextDir),
        false, false, SourceSpec.DEFAULT_EXCLUDE, ignoreSubmodules);
    return new FetchSourceStep(e -> {
      if (e instanceof BuildEvent.Log l) {
        logs.add(l);
      }
    }, workspace).run(spec);
  }

  private PreparedSource fetch(String location, String ref) throws SourceFetchException {
    return fetch(location, ref, null, false);
  }

  @Test
  void localRepositoryBuildsCommittedHeadAndWarnsAboutUncommittedChanges() throws Exception {
    write(repo, "hello.txt", "modified, not committed\n");
    write(repo, "untracked.txt", "new\n");

    PreparedSource source = fetch(repo.toString(), null);

    assertThat(source.root()).startsWith(workspace.root());
    assertThat(Files.readString(source.root().resolve("hello.txt"))).isEqualTo("committed on main\n");
    assertThat(source.root().resolve("untracked.txt")).doesNotExist();
    SourceInfo.Commit commit = source.info().commit().orElseThrow();
    assertThat(commit).isEqualTo(new SourceInfo.Commit(mainCommit.getName(), "main",
        "Alice Author <alice@example.com>", "Mon Nov 23 10:47:30 2026 +0000", "Second commit"));
    assertThat(source.info().location()).isEqualTo(repo.toString());
    assertThat(logs).anySatisfy(l -> {
      assertThat(l.level()).isEqualTo(BuildEvent.Level.WARN);
      assertThat(l.message()).contains("2 uncommitted change(s)").contains("hello.txt")
          .contains("untracked.txt").contains("source.forceCopy");
    });
  }

  @Test
  void cleanRepositoryGivesNoWarning() throws Exception {
    fetch(repo.toString(), null);
    assertThat(logs).noneMatch(l -> l.level() == BuildEvent.Level.WARN);
  }

  @Test
  void relativeLocalRepositoryIsLabelledWithDotSlash() {
    assertThat(GitLocation.local("app", repo).label()).isEqualTo("./app");
    assertThat(GitLocation.local("./app/", repo).label()).isEqualTo("./app");
    assertThat(GitLocation.local("/abs/app", repo).label()).isEqualTo("/abs/app");
  }

  @Test
  void branchRefIsCheckedOutAsABranch() throws Exception {
    PreparedSource source = fetch(repo.toString(), "feature", "sub", false);
    SourceInfo.Commit commit = source.info().commit().orElseThrow();
    assertThat(commit.ref()).isEqualTo("feature");
    assertThat(commit.id()).isEqualTo(featureCommit.getName());
    assertThat(commit.message()).startsWith("A feature whose subject line");
    assertThat(source.root().getFileName().toString()).isEqualTo("sub");
    assertThat(source.root().getParent().resolve("feature.txt")).exists();
    assertThat(source.info().contextDir()).contains("sub");
  }

  @Test
  void tagAndCommitRefsGiveADetachedHead() throws Exception {
    SourceInfo.Commit byTag = fetch(repo.toString(), "v1").info().commit().orElseThrow();
    assertThat(byTag.ref()).isEqualTo("HEAD");
    assertThat(Files.readString(workspace.root().resolve("upload/src/hello.txt"))).isEqualTo("committed\n");
    workspace.close();
    workspace = Workspace.create(false);
    SourceInfo.Commit bySha = fetch(repo.toString(), featureCommit.getName()).info().commit().orElseThrow();
    assertThat(bySha.ref()).isEqualTo("HEAD");
    assertThat(bySha.id()).isEqualTo(featureCommit.getName());
  }

  @Test
  void fileUrlIsClonedAndLabelledWithTheUrlAndFragmentActsAsRef() throws Exception {
    String url = "file://" + repo;
    PreparedSource source = fetch(url + "#feature", null);
    assertThat(source.info().location()).isEqualTo(url);
    assertThat(source.info().commit().orElseThrow().ref()).isEqualTo("feature");
  }

  @Test
  void httpUrlIsClonedFromGitHttpBackend() throws Exception {
    Path served = tmp.resolve("served");
    Git.cloneRepository().setBare(true).setURI(repo.toString())
        .setDirectory(served.resolve("app.git").toFile()).call().close();
    try (GitHttpServer server = GitHttpServer.serve(served)) {
      String url = server.url() + "/app.git";
      PreparedSource source = fetch(url, "feature");
      assertThat(source.info().location()).isEqualTo(url);
      assertThat(source.info().commit().orElseThrow().id()).isEqualTo(featureCommit.getName());
      assertThat(source.root().resolve("feature.txt")).exists();
    }
  }

  @Test
  void submodulesAreCheckedOutRecursivelyUnlessIgnored() throws Exception {
    Path leaf = tmp.resolve("leaf");
    try (Git git = Git.init().setDirectory(leaf.toFile()).setInitialBranch("main").call()) {
      write(leaf, "leaf.txt", "leaf\n");
      git.add().addFilepattern(".").call();
      git.commit().setAuthor(ALICE).setCommitter(ALICE).setMessage("leaf").call();
    }
    Path lib = tmp.resolve("lib");
    try (Git git = Git.init().setDirectory(lib.toFile()).setInitialBranch("main").call()) {
      write(lib, "lib.txt", "lib\n");
      git.add().addFilepattern(".").call();
      git.submoduleAdd().setPath("leaf").setURI(leaf.toString()).call().close();
      git.commit().setAuthor(ALICE).setCommitter(ALICE).setMessage("lib").call();
    }
    try (Git git = Git.open(repo.toFile())) {
      git.submoduleAdd().setPath("lib").setURI(lib.toString()).call().close();
      git.commit().setAuthor(ALICE).setCommitter(ALICE).setMessage("add lib").call();
    }

    PreparedSource with = fetch(repo.toString(), null);
    assertThat(with.root().resolve("lib/lib.txt")).hasContent("lib");
    assertThat(with.root().resolve("lib/leaf/leaf.txt")).hasContent("leaf");
    workspace.close();
    workspace = Workspace.create(false);
    PreparedSource without = fetch(repo.toString(), null, null, true);
    assertThat(without.root().resolve("lib")).isEmptyDirectory();
  }

  @Test
  void unknownRefIsAClearError() {
    assertThatThrownBy(() -> fetch(repo.toString(), "nonexistent"))
        .isInstanceOf(SourceFetchException.class)
        .hasMessage("ref \"nonexistent\" not found in " + repo);
  }

  @Test
  void contextDirOutsideOrMissingIsAClearError() {
    assertThatThrownBy(() -> fetch(repo.toString(), null, "../elsewhere", false))
        .hasMessageContaining("lies outside the repository");
    assertThatThrownBy(() -> fetch(repo.toString(), null, ".git", false))
        .hasMessageContaining("lies outside the repository");
    assertThatThrownBy(() -> fetch(repo.toString(), null, "nothere", false))
        .hasMessageContaining("context dir nothere does not exist");
  }

  @Test
  void emptyRepositoryIsAClearError() throws Exception {
    Path empty = tmp.resolve("empty");
    Git.init().setDirectory(empty.toFile()).call().close();
    assertThatThrownBy(() -> fetch(empty.toString(), null))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageContaining("has no tracking information or commits");
    Path bare = tmp.resolve("bare.git");
    Git.init().setBare(true).setDirectory(bare.toFile()).call().close();
    assertThatThrownBy(() -> fetch("file://" + bare, null))
        .hasMessageContaining("has no tracking information or commits");
  }

  @Test
  void unreachableAndMalformedUrlsAreClearErrors() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> fetch("http://127.0.0.1:" + port + "/repo.git", null))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageStartingWith("could not clone http://127.0.0.1:" + port + "/repo.git");
    assertThatThrownBy(() -> fetch("file://" + tmp.resolve("missing"), null))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> fetch("http://[bad", null))
        .isInstanceOf(SourceFetchException.class);
    assertThatThrownBy(() -> fetch("ssh://git@127.0.0.1:" + port + "/repo.git", null))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageStartingWith("could not clone ssh://git@127.0.0.1:" + port + "/repo.git");
    // scp-like syntax goes to ssh on port 22; nothing listens there on these machines.
    assertThatThrownBy(() -> fetch("git@127.0.0.1:repo.git", null))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageStartingWith("could not clone git@127.0.0.1:repo.git");
  }

  @Test
  void copyAndSubdirectoriesOfAWorkTreeAreUsedInPlace() throws Exception {
    write(repo, "dirty.txt", "x");
    SourceSpec copy = new SourceSpec(repo.toString(), Optional.empty(), Optional.empty(), true, false,
        SourceSpec.DEFAULT_EXCLUDE, false);
    PreparedSource copied = new FetchSourceStep(e -> {}, workspace).run(copy);
    assertThat(copied.root()).isEqualTo(repo);
    assertThat(copied.info().commit()).isEmpty();
    PreparedSource sub = fetch(repo.resolve("sub").toString(), null);
    assertThat(sub.root()).isEqualTo(repo.resolve("sub"));
  }

  @Test
  void authorDateUsesGitsDefaultFormatInTheAuthorsZone() {
    PersonIdent ident = new PersonIdent("A", "a@b", Instant.parse("2026-03-05T23:04:05Z"), ZoneOffset.ofHoursMinutes(5, 30));
    assertThat(CommitReader.formatDate(ident)).isEqualTo("Fri Mar 6 04:34:05 2026 +0530");
  }
}
