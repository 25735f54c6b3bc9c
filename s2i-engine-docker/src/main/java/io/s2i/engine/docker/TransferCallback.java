package io.s2i.engine.docker;

import com.github.dockerjava.api.model.ResponseItem;
import io.s2i.engine.TransferListener;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a pull or push progress stream: forwards per-layer progress, keeps the first registry
 * error (which arrives as a progress message, not as an HTTP error) and the pushed digest (which
 * arrives in an {@code aux} message).
 *
 * @param <T> the streamed item type
 */
class TransferCallback<T extends ResponseItem> extends QuietCallback<T> {
  private static final Logger LOG = LoggerFactory.getLogger(TransferCallback.class);
  private final TransferListener listener;
  private volatile String registryError;
  private volatile String digest;

  TransferCallback(TransferListener listener) {
    this.listener = listener;
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
    long current = -1;
    long total = -1;
    if (item.getProgressDetail() != null) {
      current = item.getProgressDetail().getCurrent() == null ? -1 : item.getProgressDetail().getCurrent();
      total = item.getProgressDetail().getTotal() == null ? -1 : item.getProgressDetail().getTotal();
    }
    listener.layer(item.getId(), status, current, total, isDone(status));
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
