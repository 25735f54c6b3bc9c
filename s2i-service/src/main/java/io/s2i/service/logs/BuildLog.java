package io.s2i.service.logs;

import io.s2i.service.store.BuildStore;
import io.s2i.service.store.LogLine;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The log of one running build: masks secrets, numbers each line, hands it at once to whoever
 * follows the build on this server, and stores it in batches ({@link #flush}, called by the hub a
 * few times a second). Every line is either stored or still pending here, so a follower that
 * subscribes and then reads the store misses none.
 */
public final class BuildLog {
  /** Lines kept for the failure snippet. */
  static final int TAIL_LINES = 20;
  /** Longest line stored; longer ones are cut (a script printing a megabyte without a newline). */
  static final int MAX_LINE = 16 * 1024;

  private final long buildId;
  private final BuildStore store;
  private final SecretMasker masker;
  private final Clock clock;
  private final Object lock = new Object();
  private final Object flushLock = new Object();
  private final List<LogLine> pending = new ArrayList<>();
  private final Deque<LogLine> tail = new ArrayDeque<>();
  private final List<Consumer<LogLine>> listeners = new CopyOnWriteArrayList<>();
  private long seq;
  private volatile boolean closed;

  BuildLog(long buildId, long lastSeq, BuildStore store, SecretMasker masker, Clock clock) {
    this.buildId = buildId;
    this.seq = lastSeq;
    this.store = store;
    this.masker = masker;
    this.clock = clock;
  }

  /** The build this log belongs to. */
  public long buildId() {
    return buildId;
  }

  /** The masker of this build's secrets (for its status messages). */
  public SecretMasker masker() {
    return masker;
  }

  /** Appends text, one line per line of it, secrets masked. */
  public void append(String text) {
    if (text == null) {
      return;
    }
    for (String raw : text.split("\r?\n", -1)) {
      String line = masker.mask(raw.length() > MAX_LINE ? raw.substring(0, MAX_LINE) + " [line cut]" : raw);
      LogLine l;
      synchronized (lock) {
        if (closed) {
          return;
        }
        l = new LogLine(++seq, clock.instant(), line);
        pending.add(l);
        tail.addLast(l);
        if (tail.size() > TAIL_LINES) {
          tail.removeFirst();
        }
        // Listeners are told under the lock so that each sees lines in order.
        for (Consumer<LogLine> listener : listeners) {
          listener.accept(l);
        }
      }
    }
  }

  /** The last lines (at most 20), for a failed build's snippet. */
  public List<LogLine> tail() {
    synchronized (lock) {
      return List.copyOf(tail);
    }
  }

  /**
   * Starts telling {@code listener} about every new line.
   *
   * @return the lines not yet stored, at this moment
   */
  List<LogLine> subscribe(Consumer<LogLine> listener) {
    synchronized (lock) {
      listeners.add(listener);
      return List.copyOf(pending);
    }
  }

  void unsubscribe(Consumer<LogLine> listener) {
    listeners.remove(listener);
  }

  /** Stores the pending lines. */
  public void flush() {
    synchronized (flushLock) {
      List<LogLine> batch;
      synchronized (lock) {
        batch = List.copyOf(pending);
      }
      if (batch.isEmpty()) {
        return;
      }
      store.appendLog(buildId, batch);
      synchronized (lock) {
        pending.subList(0, batch.size()).clear();
      }
    }
  }

  /**
   * Stops this log without storing what is pending: the build is no longer this server's (its
   * lease ran out and another server settled or took it), so lines from here would collide with
   * the ones that server writes. Followers are released as by {@link #close}.
   */
  void abandon() {
    synchronized (lock) {
      closed = true;
      pending.clear();
    }
    for (Consumer<LogLine> listener : listeners) {
      listener.accept(null);
    }
  }

  /** Whether the build's log has ended. */
  public boolean closed() {
    return closed;
  }

  /** Ends the log: stores what is pending and tells followers (with a null line). */
  void close() {
    synchronized (lock) {
      closed = true;
    }
    flush();
    for (Consumer<LogLine> listener : listeners) {
      listener.accept(null);
    }
  }
}
