package io.s2i.internal.registry;

import io.s2i.api.BuildEvent;
import io.s2i.api.EventSink;
import io.s2i.engine.TransferListener;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sums an engine's per-layer progress into {@link BuildEvent.Transfer} events: one whenever a
 * layer finishes, and in between at most every {@value #MIN_INTERVAL_MS} ms, so a terminal can
 * redraw one line without flooding a log.
 */
public final class TransferProgress implements TransferListener {
  private static final long MIN_INTERVAL_MS = 200;
  private final EventSink events;
  private final String action;
  private final String image;
  private final Map<String, long[]> layers = new LinkedHashMap<>(); // current, total, done
  private long lastEmit;

  public TransferProgress(EventSink events, String action, String image) {
    this.events = events;
    this.action = action;
    this.image = image;
  }

  @Override
  public void layer(String layer, String status, long current, long total, boolean done) {
    BuildEvent.Transfer event;
    synchronized (layers) {
      long[] state = layers.computeIfAbsent(layer, k -> new long[] {0, -1, 0});
      boolean newlyDone = done && state[2] == 0;
      if (total > 0) {
        state[1] = total;
      }
      if (current >= 0) {
        state[0] = current;
      }
      if (done) {
        state[2] = 1;
        if (state[1] > 0) {
          state[0] = state[1];
        }
      }
      long now = System.currentTimeMillis();
      if (!newlyDone && now - lastEmit < MIN_INTERVAL_MS) {
        return;
      }
      lastEmit = now;
      event = snapshot(false);
    }
    events.accept(event);
  }

  @Override
  public void retrying(String layer, long delaySeconds) {
    events.warn(action + " " + image + ": layer " + layer + " failed; the engine retries it in "
        + delaySeconds + " s");
  }

  @Override
  public void retrying(String part, String failure, long delaySeconds) {
    events.warn(failure + "; retrying " + (part.equals("manifest") ? "the manifest" : "layer " + part) + " of "
        + image + " in " + delaySeconds + " s");
  }

  /** Sends the final event; call once when the transfer has ended. */
  public void finish() {
    BuildEvent.Transfer event;
    synchronized (layers) {
      event = snapshot(true);
    }
    events.accept(event);
  }

  private BuildEvent.Transfer snapshot(boolean finished) {
    int done = 0;
    long bytesDone = 0;
    long bytesTotal = 0;
    for (long[] s : layers.values()) {
      done += (int) s[2];
      if (s[1] > 0) {
        bytesTotal += s[1];
        bytesDone += Math.min(s[0], s[1]);
      }
    }
    return new BuildEvent.Transfer(action, image, done, layers.size(), bytesDone, bytesTotal, finished);
  }
}
