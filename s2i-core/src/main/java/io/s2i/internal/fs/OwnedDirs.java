package io.s2i.internal.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary directories that say whether the process that made them still runs: each holds a
 * lock file locked by its maker for as long as the directory is in use. The kernel drops the lock
 * when the process ends, however it ends ({@code kill -9} included), so a directory whose lock can
 * be taken was left by a process that can no longer clean up, and {@link #sweep} removes it.
 */
public final class OwnedDirs {
  /** The lock file in each directory. */
  public static final String LOCK = ".s2i-owner.lock";
  // Directories of this process: the sweep must not even open their lock files (closing any
  // descriptor of a file drops the process's POSIX locks on it).
  private static final Set<Path> OWN = ConcurrentHashMap.newKeySet();

  private OwnedDirs() {}

  /** A directory of this process. Closing deletes it; {@link #release} keeps it, unmarked. */
  public static final class Owned implements AutoCloseable {
    private final Path dir;
    private final FileChannel lock;
    private boolean done;

    private Owned(Path dir, FileChannel lock) {
      this.dir = dir;
      this.lock = lock;
    }

    public Path dir() {
      return dir;
    }

    /** Keeps the directory (such as {@code --save-temp-dir}): it is no one's to sweep any more. */
    public synchronized void release() throws IOException {
      if (done) {
        return;
      }
      done = true;
      OWN.remove(dir);
      try {
        Files.deleteIfExists(dir.resolve(LOCK));
      } finally {
        lock.close();
      }
    }

    /** Deletes the directory with everything in it. */
    @Override
    public synchronized void close() {
      if (done) {
        return;
      }
      done = true;
      try {
        deleteTree(dir);
      } finally {
        OWN.remove(dir);
        try {
          lock.close();
        } catch (IOException ignored) {
          // the file went with the directory
        }
      }
    }
  }

  /** Makes {@code parent/prefixNNNN} and marks it as this process's. */
  public static Owned create(Path parent, String prefix) throws IOException {
    Path dir = Files.createTempDirectory(parent, prefix);
    OWN.add(dir);
    try {
      // Locked under another name, then renamed: a sweep never sees the lock file unlocked.
      Path pending = dir.resolve(LOCK + ".new");
      FileChannel channel = FileChannel.open(pending, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        channel.lock();
        Files.move(pending, dir.resolve(LOCK), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      return new Owned(dir, channel);
    } catch (IOException | RuntimeException e) {
      OWN.remove(dir);
      deleteTree(dir);
      throw e;
    }
  }

  /**
   * Removes the directories {@code parent/prefix*} whose maker no longer runs (their lock can be
   * taken), leaving alone the ones without a lock file (not ours, or being made right now).
   *
   * @return the directories removed
   */
  public static List<Path> sweep(Path parent, String prefix) {
    List<Path> removed = new ArrayList<>();
    List<Path> candidates;
    try (Stream<Path> list = Files.list(parent)) {
      candidates = list.filter(p -> p.getFileName().toString().startsWith(prefix)
          && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !OWN.contains(p)).toList();
    } catch (IOException | RuntimeException e) {
      return removed;
    }
    for (Path dir : candidates) {
      Path lockFile = dir.resolve(LOCK);
      if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
          FileLock lock = channel.tryLock()) {
        if (lock == null) {
          continue; // its maker runs
        }
        deleteTree(dir);
        removed.add(dir);
      } catch (IOException | RuntimeException e) {
        // OverlappingFileLockException: in use in this process after all; else not ours to remove
      }
    }
    return removed;
  }

  /** Deletes a tree without following links; missing paths are fine, failures are skipped. */
  static void deleteTree(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          try {
            Files.deleteIfExists(file);
          } catch (IOException ignored) {
            // left for the directory's deletion to report
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
          try {
            Files.deleteIfExists(dir);
          } catch (IOException ignored) {
            // not empty: something could not be deleted
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // walkFileTree reports through the visitor
    }
  }
}
