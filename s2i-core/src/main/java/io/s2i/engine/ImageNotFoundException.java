package io.s2i.engine;

import io.s2i.api.FailureReason;

/** An image is neither present locally nor could it be pulled under the pull policy. */
public final class ImageNotFoundException extends EngineException {
  private static final long serialVersionUID = 1L;

  public ImageNotFoundException(String message, String suggestion, Throwable cause) {
    super(FailureReason.PULL_BUILDER_IMAGE_FAILED, message, suggestion, cause);
  }
}
