package io.s2i.engine.oci;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises changes to the cache's index between threads (a JVM lock) and between processes (an
 * exclusive lock on a file), so that concurrent builds sharing the cache never lose an entry.
 * Layer unpacking is not under this lock: it is made safe by unpacking beside and renaming.
 */
final class CacheLock {
  private static final ReentrantLock IN_PROCESS = new ReentrantLock();
  private final Path file;

  CacheLock(Path file) {
    this.file = file;
  }

  /** Something done while holding the lock. */
  @FunctionalInterface
  interface Action<T> {
    T run() throws IOException;
  }

  <T> T with(Action<T> action) throws IOException {
    IN_PROCESS.lock();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      return action.run();
    } finally {
      IN_PROCESS.unlock();
    }
  }
}
