package io.s2i.internal.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one recursive delete of s2i (core, engines and tests use it): symbolic links are removed,
 * never followed, so a link in a build's tree cannot make s2i delete what it points at.
 */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code root} and everything below it; a missing {@code root} is fine.
   *
   * @throws IOException naming the first entry that could not be removed
   */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // walkFileTree does not follow links unless told to: a link is visited as a file.
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * Deletes as {@link #delete} does, ignoring failures: for clean-up on a path that is already
   * failing, where the first failure is the one to report.
   *
   * @return whether {@code root} is gone
   */
  public static boolean deleteQuietly(Path root) {
    try {
      delete(root);
      return true;
    } catch (IOException | RuntimeException e) {
      return !Files.exists(root, LinkOption.NOFOLLOW_LINKS);
    }
  }
}
