package io.s2i.service.triggers.image;

/**
 * What the service does when a followed image changes: find the configurations that follow it,
 * start one build each (recording the change as its cause) and store {@code newId} as each
 * configuration's last triggered image id (OpenShift's {@code lastTriggeredImageID}), which it
 * passes back to {@link ImageChangeWatcher#follow} after a restart.
 */
public interface ImageChangeListener {

  /**
   * Called once per change, on the watcher's thread or the caller of
   * {@link ImageChangeWatcher#check}; never twice at once for one image.
   *
   * @throws Exception when the builds could not be started: the watcher keeps the old id, so the
   *     same change is reported again at the next check
   */
  void imageChanged(ImageChange change) throws Exception;

  /**
   * An image could not be checked, or the listener failed; the watcher tries again at the next
   * check. The default does nothing.
   *
   * @param image the followed reference
   * @param reason a one-line reason
   */
  default void checkFailed(String image, String reason) {}
}
