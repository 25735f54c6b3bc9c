package io.s2i.engine.docker;

import com.github.dockerjava.api.model.WaitResponse;

/** Receives the exit code from {@code POST /containers/{id}/wait}. */
final class WaitCallback extends QuietCallback<WaitResponse> {
  private volatile Integer statusCode;

  @Override
  public void onNext(WaitResponse response) {
    statusCode = response.getStatusCode();
  }

  /** The exit code, or null when the wait ended without one (see {@link #error()}). */
  Integer statusCode() {
    return statusCode;
  }
}
