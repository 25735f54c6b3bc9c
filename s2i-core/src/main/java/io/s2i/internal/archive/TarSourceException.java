package io.s2i.internal.archive;

import java.io.IOException;

/** The producer of a {@link TarStreamSource} failed, or what it produced was not a safe tar. */
public final class TarSourceException extends IOException {
  private static final long serialVersionUID = 1L;

  public TarSourceException(String message) {
    super(message);
  }

  public TarSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
