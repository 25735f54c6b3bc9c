package io.s2i.service.logs;

import io.s2i.service.store.BuildStore;
import io.s2i.service.store.LogLine;
import io.s2i.service.store.StoredBuild;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logs of the builds running on this server, and following any build's log: the stored lines
 * first (from the first line, or after a given one), then live lines as they are written. A build
 * running on another server is followed by reading the store as it grows.
 */
public final class LogHub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogHub.class);
  private static final int BATCH = 1000;
  private static final LogLine END = new LogLine(-1, null, null);

  private final BuildStore store;
  private final Clock clock;
  private final Map<Long, BuildLog> live = new ConcurrentHashMap<>();
  private final ScheduledExecutorService flusher;
  private final long pollMillis;

  /** A hub over {@code store}; pending lines are stored every {@code flushMillis}. */
  public LogHub(BuildStore store, Clock clock, long flushMillis) {
    this.store = store;
    this.clock = clock;
    this.pollMillis = Math.max(100, flushMillis);
    this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "s2i-log-flusher");
      t.setDaemon(true);
      return t;
    });
    flusher.scheduleWithFixedDelay(this::flushAll, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
  }

  /** Opens the log of a build that starts running here; lines continue after {@code lastSeq}. */
  public BuildLog open(long buildId, long lastSeq, SecretMasker masker) {
    BuildLog log = new BuildLog(buildId, lastSeq, store, masker, clock);
    live.put(buildId, log);
    return log;
  }

  /** Ends a build's log: stores the rest and releases its followers. */
  public void close(BuildLog log) {
    try {
      log.close();
    } finally {
      live.remove(log.buildId());
    }
  }

  /** Ends a build's log without storing what is pending (see {@link BuildLog#abandon}). */
  public void abandon(long buildId) {
    BuildLog log = live.remove(buildId);
    if (log != null) {
      log.abandon();
    }
  }

  /** The live log of a build running here. */
  public Optional<BuildLog> live(long buildId) {
    return Optional.ofNullable(live.get(buildId));
  }

  private void flushAll() {
    for (BuildLog log : live.values()) {
      try {
        log.flush();
      } catch (RuntimeException e) {
        LOG.warn("storing log lines of build {} failed (kept for the next try): {}", log.buildId(), e.getMessage());
      }
    }
  }

  /** Where a follower's lines go. */
  public interface LineSink {
    /** One line. */
    void line(LogLine line) throws IOException;

    /** Nothing new for a while (a chance to send a keep-alive, and to notice a closed connection). */
    default void idle() throws IOException {}
  }

  /**
   * Sends a build's log to {@code sink}: the lines after {@code afterSeq} and, with
   * {@code follow}, every line written until the build ends. Returns when done, or throws when the
   * sink fails (the client went away).
   *
   * @param isEnded tells whether the build has ended, as the store has it (for builds elsewhere)
   */
  public void stream(long buildId, long afterSeq, boolean follow, java.util.function.LongPredicate isEnded,
      LineSink sink) throws IOException, InterruptedException {
    long last = afterSeq;
    while (true) {
      BuildLog log = live.get(buildId);
      if (log != null && follow) {
        LinkedBlockingQueue<LogLine> queue = new LinkedBlockingQueue<>();
        Consumer<LogLine> listener = l -> queue.add(l == null ? END : l);
        List<LogLine> pending = log.subscribe(listener);
        try {
          last = drainStore(buildId, last, sink);
          for (LogLine l : pending) {
            if (l.seq() > last) {
              sink.line(l);
              last = l.seq();
            }
          }
          if (log.closed()) {
            queue.add(END);
          }
          while (true) {
            LogLine l = queue.poll(10, TimeUnit.SECONDS);
            if (l == null) {
              sink.idle();
            } else if (l == END) {
              break;
            } else if (l.seq() > last) {
              sink.line(l);
              last = l.seq();
            }
          }
        } finally {
          log.unsubscribe(listener);
        }
        drainStore(buildId, last, sink);
        return;
      }
      if (log != null) {
        log.flush();
      }
      last = drainStore(buildId, last, sink);
      if (!follow || isEnded.test(buildId)) {
        drainStore(buildId, last, sink);
        return;
      }
      // Queued, or running on another server: read the store as it grows.
      Thread.sleep(pollMillis);
      sink.idle();
    }
  }

  private long drainStore(long buildId, long after, LineSink sink) throws IOException {
    long last = after;
    while (true) {
      List<LogLine> batch = store.logLines(buildId, last, BATCH);
      for (LogLine l : batch) {
        sink.line(l);
        last = l.seq();
      }
      if (batch.size() < BATCH) {
        return last;
      }
    }
  }

  /** The highest line number stored for a build (to continue a re-run's log). */
  public long lastSeq(StoredBuild build) {
    List<LogLine> last = store.lastLogLines(build.id(), 1);
    return last.isEmpty() ? 0 : last.get(0).seq();
  }

  @Override
  public void close() {
    flusher.shutdown();
    flushAll();
  }
}
