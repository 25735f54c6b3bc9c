package io.s2i.internal.build;

import io.s2i.internal.fs.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The per-build temporary directory: downloaded scripts, restored artifacts, clones. */
public final class Workspace implements AutoCloseable {
  private final Path root;
  private final boolean keep;

  private Workspace(Path root, boolean keep) {
    this.root = root;
    this.keep = keep;
  }

  /** Creates a fresh directory under the system temp dir. */
  public static Workspace create(boolean keep) throws IOException {
    return new Workspace(Files.createTempDirectory("s2i"), keep);
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
    if (!keep) {
      try {
        FileTrees.delete(root);
      } catch (IOException e) {
        throw new UncheckedIOException("could not remove " + root, e);
      }
    }
  }
}
