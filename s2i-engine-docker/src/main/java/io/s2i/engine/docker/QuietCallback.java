package io.s2i.engine.docker;

import com.github.dockerjava.api.async.ResultCallback;
import java.io.IOException;
import java.util.Optional;

/**
 * A docker-java stream callback that keeps its first error instead of logging it. docker-java's
 * own template logs every stream error at ERROR level, which would print to a CLI user's terminal
 * next to the one-line message this engine gives for the same failure.
 *
 * @param <T> the streamed item type
 */
abstract class QuietCallback<T> extends ResultCallback.Adapter<T> {
  private volatile Throwable error;

  @Override
  public void onError(Throwable throwable) {
    if (error == null) {
      error = throwable;
    }
    try {
      close(); // also releases awaitStarted() and awaitCompletion()
    } catch (IOException | RuntimeException ignored) {
      // nothing more to release
    }
  }

  /** The first error the stream reported. */
  Optional<Throwable> error() {
    return Optional.ofNullable(error);
  }
}
