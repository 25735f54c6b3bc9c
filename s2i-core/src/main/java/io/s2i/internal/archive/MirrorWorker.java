package io.s2i.internal.archive;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a mirror's work (hashing file contents, writing the mirror tar) on a thread of its own, in
 * the order it was asked for, so that the stream feeding a container does not wait for it: the
 * CLI's JVM compiles with C1 only, which runs SHA-256 in plain Java at some 100 MB/s, where the
 * container takes the sources several times faster. The queue is bounded: a slower mirror holds
 * the writer back rather than buffering the sources in memory.
 */
final class MirrorWorker {
  /** One piece of mirror work. */
  @FunctionalInterface
  interface Task {
    void run() throws IOException;
  }

  private static final Task STOP = () -> { };
  private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(256);
  private final Thread thread;
  private volatile Throwable failure;

  MirrorWorker() {
    thread = new Thread(this::work, "s2i-archive-mirror");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues {@code task}; fails with the worker's own failure, if it had one. */
  void submit(Task task) throws IOException {
    rethrow();
    try {
      queue.put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while mirroring the archive");
    }
  }

  /** Waits until every queued task ran, then stops the thread. */
  void finish() throws IOException {
    submit(STOP);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while mirroring the archive");
    }
    rethrow();
  }

  /** Stops the thread without waiting for queued work (the archive failed). */
  void abandon() {
    thread.interrupt();
  }

  private void work() {
    try {
      while (true) {
        Task t = queue.take();
        if (t == STOP) {
          return;
        }
        if (failure == null) {
          t.run();
        }
      }
    } catch (InterruptedException e) {
      // abandoned
    } catch (Throwable e) {
      failure = e;
      queue.clear(); // unblocks a writer waiting for room; later submits see the failure
    }
  }

  private void rethrow() throws IOException {
    Throwable f = failure;
    if (f instanceof IOException io) {
      throw io;
    }
    if (f != null) {
      throw new IOException("mirroring the archive failed: " + f.getMessage(), f);
    }
  }
}
