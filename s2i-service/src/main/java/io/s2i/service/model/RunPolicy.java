package io.s2i.service.model;

/** How the builds of one configuration may overlap; OpenShift's {@code runPolicy} values. */
public enum RunPolicy {
  /** Queued builds run one at a time, oldest first (the default). */
  Serial,
  /** Builds run as soon as a worker is free, side by side. */
  Parallel,
  /** One at a time; when a build is queued, older queued ones are cancelled. */
  SerialLatestOnly
}
