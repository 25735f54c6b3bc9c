package io.s2i.service.model;

/** Input the service refuses; the message is the one-line reason a 4xx answer carries. */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /** A 400 with this reason. */
  public InvalidInputException(String reason) {
    this(400, reason);
  }

  /** An answer with this 4xx status and reason. */
  public InvalidInputException(int status, String reason) {
    super(reason);
    this.status = status;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
