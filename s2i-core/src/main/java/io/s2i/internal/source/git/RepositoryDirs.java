package io.s2i.internal.source.git;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Tells a git repository from a plain directory with file checks alone. Kept apart from the
 * classes that use JGit: its jar is signed, and the first class loaded from it (even one only
 * named in a catch clause) makes the JVM verify the signature, some 50 ms of CPU that a build
 * from a plain directory need not pay.
 */
public final class RepositoryDirs {
  private RepositoryDirs() {}

  /**
   * Whether {@code dir} is cloned rather than used in place: it has its own {@code .git} entry, or
   * it is a bare repository (upstream would copy a bare repository's internals as the source).
   */
  public static boolean isRepository(Path dir) {
    return Files.exists(dir.resolve(".git"), LinkOption.NOFOLLOW_LINKS)
        || looksBare(dir) && LocalRepository.isBareRepository(dir);
  }

  private static boolean looksBare(Path dir) {
    return Files.isRegularFile(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects"))
        && Files.isDirectory(dir.resolve("refs"));
  }
}
