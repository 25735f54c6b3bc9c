package io.s2i.service.triggers.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * How large a webhook body may be. Signatures are computed over the whole body and the payload is
 * parsed in memory, so the HTTP layer reads at most this much ({@link #read}) and answers 413 to
 * more, without reading the rest.
 *
 * <p>The default, 5 MiB, holds a push of thousands of commits: GitHub lists every pushed commit in
 * a webhook (the 20-commit cap is for timeline events only) and caps payloads at 25 MB, GitLab
 * lists at most 20, Bitbucket Cloud 5 and Bitbucket Server none. A larger push is refused with 413,
 * which the sender shows in its delivery log.
 */
public final class WebhookBodyLimit {
  /** The default limit: 5 MiB. */
  public static final int DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
  private final int maxBytes;

  /**
   * A limit of {@code maxBytes}.
   *
   * @throws IllegalArgumentException when not positive
   */
  public WebhookBodyLimit(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("the webhook body limit must be positive: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** The default limit. */
  public static WebhookBodyLimit defaults() {
    return new WebhookBodyLimit(DEFAULT_MAX_BYTES);
  }

  /** The limit in bytes. */
  public int maxBytes() {
    return maxBytes;
  }

  /** Whether a body of {@code length} bytes (a declared {@code Content-Length}, -1 when unknown) is over the limit. */
  public boolean exceeds(long length) {
    return length > maxBytes;
  }

  /** The one-line reason for a 413 answer. */
  public String reason() {
    return "the webhook body is larger than " + describe(maxBytes) + "; nothing was built";
  }

  /**
   * Reads a body of at most {@link #maxBytes()} bytes.
   *
   * @throws TooLargeException as soon as the stream holds more, having read one byte past the limit
   */
  public byte[] read(InputStream in) throws IOException, TooLargeException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 64 * 1024));
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, maxBytes + 1L - total))) > 0) {
      total += n;
      if (total > maxBytes) {
        throw new TooLargeException(reason());
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** A body over the limit: answer 413 with the message. */
  public static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** With the one-line reason. */
    public TooLargeException(String message) {
      super(message);
    }
  }

  private static String describe(int bytes) {
    if (bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + " MiB";
    }
    return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
  }
}
