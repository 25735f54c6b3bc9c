package io.s2i.internal.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

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
      deleteRecursively(root);
    }
  }

  /** Deletes a tree, links not followed; missing paths are fine. */
  public static void deleteRecursively(Path path) {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + path, e);
    }
  }
}
