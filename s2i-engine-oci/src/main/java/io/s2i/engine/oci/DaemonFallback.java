package io.s2i.engine.oci;

import io.s2i.engine.ContainerEngine;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A daemon engine (Docker or Podman's socket) that happens to be there: a source of images (like
 * skopeo's {@code docker-daemon:}) and the place tagged results are loaded into so that
 * {@code docker run TAG} works. Opened at most once, on first use.
 */
final class DaemonFallback implements AutoCloseable {
  private final Supplier<Optional<ContainerEngine>> opener;
  private Optional<ContainerEngine> engine;

  DaemonFallback(Supplier<Optional<ContainerEngine>> opener) {
    this.opener = opener;
  }

  static DaemonFallback none() {
    return new DaemonFallback(Optional::empty);
  }

  synchronized Optional<ContainerEngine> get() {
    if (engine == null) {
      engine = opener.get();
    }
    return engine;
  }

  @Override
  public synchronized void close() {
    if (engine != null) {
      engine.ifPresent(ContainerEngine::close);
    }
  }
}
