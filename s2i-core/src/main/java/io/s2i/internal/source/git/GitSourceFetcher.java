package io.s2i.internal.source.git;

import io.s2i.api.EventSink;
import io.s2i.api.SourceInfo;
import io.s2i.internal.source.PreparedSource;
import io.s2i.internal.source.SourceFetchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.SubmoduleInitCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.submodule.SubmoduleWalk;
import org.eclipse.jgit.transport.URIish;

/**
 * Clones a repository with JGit as upstream clones with git: the whole repository into the
 * build's workspace, then {@code --ref} (branch, tag or commit; HEAD by default) is checked out,
 * then submodules are initialised and updated recursively unless told not to.
 */
public final class GitSourceFetcher {
  private final EventSink events;
  private final BooleanSupplier cancelled;

  public GitSourceFetcher(EventSink events) {
    this(events, () -> false);
  }

  /**
   * @param cancelled asked while a clone runs: true stops it (Ctrl-C, or a build that failed while
   *     the clone ran beside it). A flag, not an interrupt: JGit logs interrupts of its own work as
   *     errors.
   */
  public GitSourceFetcher(EventSink events, BooleanSupplier cancelled) {
    this.events = events;
    this.cancelled = cancelled;
  }

  /**
   * What to clone and how.
   *
   * @param location clone URL and label
   * @param ref the ref to check out, or empty for the default branch
   * @param contextDir sub-directory used as the source root
   * @param ignoreSubmodules skip submodules
   * @param target an empty or absent directory inside the workspace
   */
  public record Request(GitLocation location, Optional<String> ref, Optional<String> contextDir,
      boolean ignoreSubmodules, Path target) {}

  /**
   * Clones, checks out and reads the commit; the clone stays in {@code target}. On failure the
   * target is removed.
   */
  public PreparedSource fetch(Request request) throws SourceFetchException {
    boolean done = false;
    try {
      PreparedSource source = cloneAndCheckout(request);
      done = true;
      return source;
    } finally {
      if (!done) {
        io.s2i.internal.fs.FileTrees.deleteQuietly(request.target());
      }
    }
  }

  private PreparedSource cloneAndCheckout(Request request) throws SourceFetchException {
    String url = request.location().cloneUrl();
    String shown = request.location().label();
    checkUrl(url, shown);
    events.detail("Cloning " + shown + " into " + request.target());
    try (Git git = clone(url, shown, request.target())) {
      Repository repo = git.getRepository();
      if (repo.resolve(Constants.HEAD) == null && request.ref().isEmpty()) {
        throw LocalRepository.noCommits(shown);
      }
      checkout(git, request.ref().orElse(null), shown);
      if (!request.ignoreSubmodules()) {
        updateSubmodules(repo, shown);
      }
      SourceInfo.Commit commit = CommitReader.head(repo)
          .orElseThrow(() -> LocalRepository.noCommits(shown));
      events.detail("Checked out " + commit.ref() + " at " + commit.id());
      Path root = contextRoot(request.target(), request.contextDir(), shown);
      return new PreparedSource(root, new SourceInfo(shown, request.contextDir(), Optional.of(commit)));
    } catch (IOException e) {
      throw new SourceFetchException("reading the clone of " + shown + " failed: " + e.getMessage(),
          "check that the workspace's file system has room", e);
    }
  }

  private static void checkUrl(String url, String shown) throws SourceFetchException {
    try {
      new URIish(url);
    } catch (java.net.URISyntaxException e) {
      throw new SourceFetchException("malformed git URL \"" + shown + "\": " + e.getReason(),
          "give a URL such as https://host/repo.git, git@host:repo.git, file:///path or a local directory");
    }
  }

  static {
    // After a fetch JGit checks on a background thread whether the repository needs a gc; that
    // thread raced the removal of the clone at the end of a build ("Could not delete
    // .../gc.log.lock" on stderr). For a fresh clone the check finds nothing to do: run it inline.
    org.eclipse.jgit.internal.storage.file.GC.setExecutor(
        com.google.common.util.concurrent.MoreExecutors.newDirectExecutorService());
  }

  private Git clone(String url, String shown, Path target) throws SourceFetchException {
    try {
      return Git.cloneRepository().setURI(url).setDirectory(target.toFile())
          .setCloneAllBranches(true).setProgressMonitor(new Cancellable(cancelled)).call();
    } catch (org.eclipse.jgit.api.errors.InvalidRemoteException e) {
      throw new SourceFetchException("git repository " + shown + " not found: " + rootMessage(e),
          "check the URL or path of the repository");
    } catch (org.eclipse.jgit.api.errors.TransportException e) {
      throw new SourceFetchException("could not clone " + shown + ": " + rootMessage(e),
          "check the URL, that the host is reachable and that you may read the repository");
    } catch (GitAPIException | RuntimeException e) {
      throw new SourceFetchException("could not clone " + shown + ": " + rootMessage(e),
          "check the URL and the repository", e);
    }
  }

  /**
   * Checks out {@code ref} as git does: a branch of the remote becomes a local branch tracking
   * it; a tag or commit gives a detached HEAD.
   */
  private static void checkout(Git git, String ref, String shown) throws SourceFetchException, IOException {
    if (ref == null || ref.equals(Constants.HEAD)) {
      return;
    }
    Repository repo = git.getRepository();
    try {
      Ref remoteBranch = repo.exactRef(Constants.R_REMOTES + "origin/" + ref);
      Ref localBranch = repo.exactRef(Constants.R_HEADS + ref);
      if (localBranch != null) {
        git.checkout().setName(ref).call();
      } else if (remoteBranch != null) {
        git.checkout().setName(ref).setCreateBranch(true).setStartPoint(remoteBranch.getName())
            .setUpstreamMode(org.eclipse.jgit.api.CreateBranchCommand.SetupUpstreamMode.TRACK).call();
      } else {
        ObjectId commit = resolveCommit(repo, ref);
        if (commit == null) {
          throw new SourceFetchException("ref \"" + ref + "\" not found in " + shown,
              "give source.ref a branch, tag or commit that exists in the repository");
        }
        git.checkout().setName(commit.getName()).call();
      }
    } catch (GitAPIException e) {
      throw new SourceFetchException("checking out \"" + ref + "\" of " + shown + " failed: " + rootMessage(e),
          "give source.ref a branch, tag or commit that exists in the repository", e);
    }
  }

  private static ObjectId resolveCommit(Repository repo, String ref) {
    try {
      return repo.resolve(ref + "^{commit}");
    } catch (IOException | RuntimeException e) {
      // An unparsable revision is an unknown ref for the user.
      return null;
    }
  }

  /** {@code git submodule update --init --recursive}. */
  private void updateSubmodules(Repository repo, String shown) throws SourceFetchException, IOException {
    try (Git git = new Git(repo)) {
      SubmoduleInitCommand init = git.submoduleInit();
      if (init.call().isEmpty()) {
        return;
      }
      git.submoduleUpdate().call();
    } catch (GitAPIException | RuntimeException e) {
      throw new SourceFetchException("updating the submodules of " + shown + " failed: " + rootMessage(e),
          "check that the submodules' URLs are reachable, or build without them (source.ignoreSubmodules)", e);
    }
    try (SubmoduleWalk walk = SubmoduleWalk.forIndex(repo)) {
      while (walk.next()) {
        try (Repository sub = walk.getRepository()) {
          if (sub != null) {
            events.detail("Checked out submodule " + walk.getPath());
            updateSubmodules(sub, shown + " (submodule " + walk.getPath() + ")");
          }
        }
      }
    }
  }

  private static Path contextRoot(Path clone, Optional<String> contextDir, String shown)
      throws SourceFetchException {
    if (contextDir.isEmpty()) {
      return clone;
    }
    Path root = clone.resolve(contextDir.get()).normalize();
    if (!root.startsWith(clone) || root.equals(clone.resolve(Constants.DOT_GIT))
        || root.startsWith(clone.resolve(Constants.DOT_GIT))) {
      throw new SourceFetchException(
          "context dir " + contextDir.get() + " lies outside the repository " + shown,
          "give source.contextDir as a path inside the repository");
    }
    if (!Files.isDirectory(root)) {
      throw new SourceFetchException(
          "context dir " + contextDir.get() + " does not exist in " + shown,
          "give source.contextDir as an existing directory of the checked-out ref");
    }
    return root;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    if (t instanceof RepositoryNotFoundException) {
      return "repository not found";
    }
    return message == null ? t.getClass().getSimpleName() : message.replace('\n', ' ');
  }

  /** Lets the build stop a clone: JGit asks its monitor between units of work. */
  private static final class Cancellable extends org.eclipse.jgit.lib.EmptyProgressMonitor {
    private final BooleanSupplier cancelled;

    Cancellable(BooleanSupplier cancelled) {
      this.cancelled = cancelled;
    }

    @Override
    public boolean isCancelled() {
      return cancelled.getAsBoolean();
    }
  }
}
