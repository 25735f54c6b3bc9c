package io.s2i.internal.build;

import io.s2i.internal.fs.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.s2i.internal.fs.OwnedDirs;

/**
 * The per-build temporary directory: downloaded scripts, restored artifacts, clones. It is marked
 * as this process's ({@link OwnedDirs}) while the build runs, so that when the process is killed
 * outright the next build removes it ({@link #removeLeftovers}).
 */
public final class Workspace implements AutoCloseable {
  /** The name of every workspace starts so, as upstream's ({@code $TMPDIR/s2iNNNN}). */
  public static final String PREFIX = "s2i";
  private final OwnedDirs.Owned owned;
  private final Path root;
  private final boolean keep;

  private Workspace(OwnedDirs.Owned owned, boolean keep) {
    this.owned = owned;
    this.root = owned.dir();
    this.keep = keep;
  }

  /** Creates a fresh directory under the system temp dir. */
  public static Workspace create(boolean keep) throws IOException {
    return new Workspace(OwnedDirs.create(tempDir(), PREFIX), keep);
  }

  /**
   * Removes the workspaces (and other marked temporary directories, {@code s2i*}) of processes
   * that were killed before they could.
   *
   * @return the directories removed
   */
  public static java.util.List<Path> removeLeftovers() {
    return OwnedDirs.sweep(tempDir(), PREFIX);
  }

  private static Path tempDir() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  public Path root() {
    return root;
  }

  /** Where downloaded scripts are kept. */
  public Path scriptsDir() throws IOException {
    return Files.createDirectories(root.resolve("downloads/scripts"));
  }

  /** A sub-directory, created on first use. */
  public Path dir(String relative) throws IOException {
    return Files.createDirectories(root.resolve(relative));
  }

  /** Whether the directory is kept after the build ({@code --save-temp-dir}). */
  public boolean kept() {
    return keep;
  }

  @Override
  public void close() {
    if (keep) {
      try {
        owned.release();
      } catch (IOException e) {
        throw new UncheckedIOException("could not unmark " + root, e);
      }
      return;
    }
    try {
      FileTrees.delete(root);
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + root, e);
    } finally {
      owned.close();
    }
  }
}
