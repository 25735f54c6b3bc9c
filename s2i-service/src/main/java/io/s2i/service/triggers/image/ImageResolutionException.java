package io.s2i.service.triggers.image;

/** An image's current id could not be told; the message is one line and holds no credentials. */
public class ImageResolutionException extends Exception {
  private static final long serialVersionUID = 1L;

  /** With a one-line message. */
  public ImageResolutionException(String message) {
    super(message);
  }

  /** With a one-line message and its cause. */
  public ImageResolutionException(String message, Throwable cause) {
    super(message, cause);
  }
}
