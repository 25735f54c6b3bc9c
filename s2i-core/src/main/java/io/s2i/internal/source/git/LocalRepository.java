package io.s2i.internal.source.git;

import io.s2i.internal.source.SourceFetchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A local directory seen as upstream sees it: a git work tree when a {@code .git} entry (directory,
 * or file pointing elsewhere) sits directly inside it; sub-directories of a work tree are not.
 */
public final class LocalRepository {
  private LocalRepository() {}

  /** Whether {@code dir} is a bare repository (JGit's check). */
  static boolean isBareRepository(Path dir) {
    return RepositoryCache.FileKey.isGitRepository(dir.toFile(), FS.DETECTED);
  }

  /**
   * Fails when the repository has no commit, as upstream does, with upstream's suggestion.
   *
   * @param typed the path as the user wrote it, for the message
   */
  public static void requireCommits(Path dir, String typed) throws SourceFetchException {
    try (Repository repo = open(dir)) {
      if (repo.resolve(Constants.HEAD) == null) {
        throw noCommits(typed);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new SourceFetchException(
          "the git repository \"" + typed + "\" cannot be read: " + e.getMessage(),
          "repair the repository, or build the files as they are with source.forceCopy", e);
    }
  }

  /** The error for a repository without commits (upstream's wording). */
  public static SourceFetchException noCommits(String typed) {
    return new SourceFetchException(
        "The git repository \"" + typed + "\" has no tracking information or commits",
        "Either commit files to the Git repository, remove the .git directory from the project, "
            + "or force copy of source files to ignore the repository (source.forceCopy)");
  }

  /**
   * Paths that differ from HEAD: modified, added, removed, missing and untracked (not ignored)
   * files. Only committed content is built, so these are left out.
   */
  public static Optional<Set<String>> uncommitted(Path dir) {
    try (Repository repo = open(dir); Git git = new Git(repo)) {
      if (repo.isBare()) {
        return Optional.of(Set.of());
      }
      Status status = git.status().call();
      Set<String> paths = new TreeSet<>(status.getUncommittedChanges());
      paths.addAll(status.getUntracked());
      return Optional.of(paths);
    } catch (IOException | GitAPIException | RuntimeException e) {
      // A status that cannot be computed only loses a warning; the clone reports real problems.
      return Optional.empty();
    }
  }

  private static Repository open(Path dir) throws IOException {
    if (!Files.exists(dir.resolve(Constants.DOT_GIT), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).setup().build();
    }
    return new FileRepositoryBuilder().setWorkTree(dir.toFile()).setMustExist(true).setup().build();
  }
}
