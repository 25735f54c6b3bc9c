package io.s2i.service.model;

/** OpenShift's build phases. New, Pending and Running are not terminal; every other phase is. */
public enum BuildPhase {
  /** Created and queued. */
  New,
  /** Claimed by a server; its executor is preparing it. */
  Pending,
  /** The build is running. */
  Running,
  /** Ended successfully. */
  Complete,
  /** Ran and failed. */
  Failed,
  /** An error prevented it from running, or the server running it stopped. */
  Error,
  /** Cancelled by a user or superseded (SerialLatestOnly). */
  Cancelled;

  /** Whether the build has ended. */
  public boolean isTerminal() {
    return this != New && this != Pending && this != Running;
  }

  /** Whether the history limit for failed builds counts it (failed, error and cancelled, as OpenShift). */
  public boolean countsAsFailed() {
    return this == Failed || this == Error || this == Cancelled;
  }
}
