package io.s2i.engine.docker;

import com.github.dockerjava.api.model.PullResponseItem;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Follows a pull and keeps its first error, whether a transport error or a registry's. */
final class PullCallback extends QuietCallback<PullResponseItem> {
  private static final Logger LOG = LoggerFactory.getLogger(PullCallback.class);
  private volatile String registryError;

  @Override
  public void onNext(PullResponseItem item) {
    if (item.isErrorIndicated() && registryError == null) {
      // The registry's failure arrives as a progress message, not as an HTTP error.
      registryError =
          item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
              ? item.getErrorDetail().getMessage()
              : "the daemon reported an error without details";
    } else {
      LOG.debug("pull: {} {}", item.getStatus(), item.getId() == null ? "" : item.getId());
    }
  }

  /** Why the pull failed, as one line; empty when it succeeded. */
  Optional<String> failureMessage() {
    if (error().isPresent()) {
      return Optional.of(DockerErrors.message(error().get()));
    }
    return Optional.ofNullable(registryError).map(DockerErrors::oneLine);
  }
}
