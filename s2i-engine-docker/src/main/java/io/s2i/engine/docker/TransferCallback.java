package io.s2i.engine.docker;

import com.github.dockerjava.api.model.ResponseItem;
import io.s2i.engine.TransferListener;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a pull or push progress stream: forwards per-layer progress, keeps the first registry
 * error (which arrives as a progress message, not as an HTTP error) and the pushed digest (which
 * arrives in an {@code aux} message).
 *
 * <p>The daemon retries a failed layer by itself, announcing it with a count-down ("Retrying in 5
 * seconds", then 10, 15, 20: five attempts over 50 s for a push on Docker 20.10). Each retry is
 * passed on to {@link TransferListener#retrying}; past {@code layerRetries} retries of one layer the
 * transfer is given up (the stream is closed, which cancels it in the daemon), so the caller's own
 * retry, with its own delays and messages, decides what happens next.
 *
 * @param <T> the streamed item type
 */
class TransferCallback<T extends ResponseItem> extends QuietCallback<T> {
  private static final Logger LOG = LoggerFactory.getLogger(TransferCallback.class);
  private static final Pattern RETRYING = Pattern.compile("Retrying in (\\d+) seconds?");
  private final TransferListener listener;
  private final int layerRetries;
  private final Map<String, long[]> retries = new ConcurrentHashMap<>(); // layer: count, last delay
  private volatile String registryError;
  private volatile String digest;
  private volatile String abandonedLayer;

  /** Follows a transfer to its end, whatever the daemon retries. */
  TransferCallback(TransferListener listener) {
    this(listener, -1);
  }

  /** Gives the transfer up when the daemon retries one layer more than {@code layerRetries} times; -1: never. */
  TransferCallback(TransferListener listener, int layerRetries) {
    this.listener = listener;
    this.layerRetries = layerRetries;
  }

  @Override
  public void onNext(T item) {
    if (item.isErrorIndicated()) {
      if (registryError == null) {
        registryError = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
            ? item.getErrorDetail().getMessage()
            : item.getError() != null ? item.getError() : "the daemon reported an error without details";
      }
      return;
    }
    if (item.getAux() != null && item.getAux().getDigest() != null) {
      digest = item.getAux().getDigest();
    }
    String status = item.getStatus() == null ? "" : item.getStatus();
    LOG.debug("transfer: {} {}", status, item.getId() == null ? "" : item.getId());
    if (item.getId() == null || !isLayerId(item.getId())) {
      return; // tag or summary lines, not a layer
    }
    Matcher retrying = RETRYING.matcher(status);
    if (retrying.matches()) {
      retrying(item.getId(), Long.parseLong(retrying.group(1)));
      return;
    }
    long current = -1;
    long total = -1;
    if (item.getProgressDetail() != null) {
      current = item.getProgressDetail().getCurrent() == null ? -1 : item.getProgressDetail().getCurrent();
      total = item.getProgressDetail().getTotal() == null ? -1 : item.getProgressDetail().getTotal();
    }
    listener.layer(item.getId(), status, current, total, isDone(status));
  }

  /** One count-down line; a new retry starts where the count goes up. */
  private void retrying(String layer, long delay) {
    long[] state = retries.computeIfAbsent(layer, k -> new long[] {0, 0});
    boolean newRetry;
    synchronized (state) {
      newRetry = delay > state[1];
      state[1] = delay;
      if (newRetry) {
        state[0]++;
      }
    }
    if (!newRetry) {
      return;
    }
    if (layerRetries >= 0 && state[0] > layerRetries) {
      if (abandonedLayer == null) {
        abandonedLayer = layer;
        LOG.debug("giving up the transfer: layer {} failed {} times", layer, state[0]);
        try {
          close();
        } catch (java.io.IOException | RuntimeException ignored) {
          // closing is what gives up; nothing more to release
        }
      }
      return;
    }
    listener.retrying(layer, delay);
  }

  /**
   * The layer whose transfer failed more often than allowed, when the transfer was given up for
   * it; its failure is then this and not the error of the closed stream.
   */
  Optional<String> abandonedLayer() {
    return Optional.ofNullable(abandonedLayer);
  }

  private static boolean isLayerId(String id) {
    return id.matches("[0-9a-f]{12,64}");
  }

  /** The daemon's words for a layer that needs nothing more. */
  static boolean isDone(String status) {
    return status.equals("Pull complete") || status.equals("Already exists")
        || status.equals("Pushed") || status.equals("Layer already exists")
        || status.startsWith("Mounted from");
  }

  /** Why the transfer failed, as one line; empty when it succeeded. */
  Optional<String> failureMessage() {
    if (error().isPresent()) {
      return Optional.of(DockerErrors.message(error().get()));
    }
    return Optional.ofNullable(registryError).map(DockerErrors::oneLine);
  }

  /** The digest from the push's {@code aux} message. */
  Optional<String> digest() {
    return Optional.ofNullable(digest);
  }
}
