package io.s2i.engine;

/**
 * Receives per-layer progress of a pull or push from an engine. Called from engine threads.
 */
@FunctionalInterface
public interface TransferListener {
  /**
   * One layer's state.
   *
   * @param layer the layer's id as the engine names it
   * @param status the engine's word for the state (for example {@code Downloading}, {@code Pushed})
   * @param current bytes done, or -1 when unknown
   * @param total bytes of the layer, or -1 when unknown
   * @param done whether the layer has finished
   */
  void layer(String layer, String status, long current, long total, boolean done);

  /**
   * The engine failed to transfer {@code layer} and will try it again by itself after
   * {@code delaySeconds}; called once per retry, so a user sees why a push or pull stalls.
   */
  default void retrying(String layer, long delaySeconds) {}

  /**
   * Like {@link #retrying(String, long)}, with the failure that is retried.
   *
   * @param part a layer's id, or {@code manifest} for the manifest and config of a pull
   * @param failure the one-line description of what failed
   */
  default void retrying(String part, String failure, long delaySeconds) {
    retrying(part, delaySeconds);
  }

  /** A listener that ignores everything. */
  static TransferListener none() {
    return (layer, status, current, total, done) -> {};
  }
}
