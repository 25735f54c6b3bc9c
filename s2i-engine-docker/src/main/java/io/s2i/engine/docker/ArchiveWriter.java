package io.s2i.engine.docker;

import io.s2i.engine.ArchiveSource;
import io.s2i.internal.archive.StreamPipe;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an {@link ArchiveSource} into a {@link StreamPipe} on its own thread, so that the pipe's
 * reading end can be handed to a request as its body.
 *
 * <p>Tells apart the archive failing (reading local files, say) from the receiver going away (a
 * container that exited early): only the first is an error of its own; the second is reported
 * by whoever consumed the stream.
 */
final class ArchiveWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveWriter.class);
  private static final int PIPE_CAPACITY = 256 * 1024;

  private final StreamPipe pipe = new StreamPipe(PIPE_CAPACITY);
  private final Thread thread;
  private volatile Throwable archiveFailure;

  /**
   * Prepares to write {@code archive}; {@code afterWrite} runs on the writer thread once the whole
   * archive is in the pipe and its end has been signalled. Nothing happens until {@link #start()}.
   */
  ArchiveWriter(ArchiveSource archive, String name, Runnable afterWrite) {
    this(archive, name, afterWrite, () -> {});
  }

  /**
   * As above; {@code onFailure} runs on the writer thread when the archive itself fails, so that
   * the receiver can be stopped before it acts on a truncated archive.
   */
  ArchiveWriter(ArchiveSource archive, String name, Runnable afterWrite, Runnable onFailure) {
    thread = new Thread(() -> write(archive, afterWrite, onFailure), name);
    thread.setDaemon(true);
  }

  /** Starts writing. */
  ArchiveWriter start() {
    thread.start();
    return this;
  }

  /** Creates and starts a writer. */
  static ArchiveWriter start(ArchiveSource archive, String name, Runnable afterWrite) {
    return new ArchiveWriter(archive, name, afterWrite).start();
  }

  /** The stream of the archive, to be read by exactly one consumer. */
  InputStream input() {
    return pipe.source();
  }

  /** Waits until the consumer has read the end of the archive. */
  void awaitConsumed() throws InterruptedException {
    pipe.awaitDrained();
  }

  private void write(ArchiveSource archive, Runnable afterWrite, Runnable onFailure) {
    var out = pipe.sink();
    try {
      archive.writeTo(out);
    } catch (IOException | RuntimeException e) {
      if (causedBy(e, StreamPipe.ReaderClosedException.class)) {
        LOG.debug("archive receiver went away before the end: {}", e.toString());
      } else {
        archiveFailure = e;
        // Before the end of the stream is signalled: a reader such as tar would take a truncated
        // archive for a complete one.
        runQuietly(onFailure);
      }
      closeQuietly(out);
      return;
    }
    closeQuietly(out);
    try {
      afterWrite.run();
    } catch (RuntimeException e) {
      // This thread has no one to report to; the consumer sees the effect (an unclosed stream).
      LOG.debug("follow-up after writing the archive failed", e);
    }
  }

  private static void runQuietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.debug("stopping the receiver after an archive failure failed", e);
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      LOG.debug("closing the pipe failed", e);
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Stops the writer (if still running), waits briefly for it to end, and returns how the
   * archive itself failed, if it did.
   */
  Optional<Throwable> finish() {
    close();
    return Optional.ofNullable(archiveFailure);
  }

  @Override
  public void close() {
    // Closing the reading end makes a blocked write fail at once.
    pipe.closeReadingEnd();
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
