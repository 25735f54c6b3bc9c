package io.s2i.engine.docker;

import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ContainerRunner;
import io.s2i.engine.ImageStore;

/** The Docker Engine API as a {@link ContainerEngine}; opened by {@link DockerEngineProvider}. */
public final class DockerEngine implements ContainerEngine {
  private final DockerConnection connection;
  private final DockerImageStore images;
  private final DockerContainerRunner containers;
  // What killed builds left is looked for once this engine makes its first container, beside the
  // build, and waited for at close.
  private final java.util.concurrent.atomic.AtomicReference<Thread> leftoverSweep =
      new java.util.concurrent.atomic.AtomicReference<>();

  DockerEngine(DockerConnection connection) {
    this.connection = connection;
    this.images = new DockerImageStore(connection);
    this.containers = new DockerContainerRunner(connection, this::sweepLeftoversInBackground);
  }

  private void sweepLeftoversInBackground() {
    if (leftoverSweep.get() != null) {
      return;
    }
    Thread sweep = new Thread(() -> DockerLeftovers.remove(connection), "s2i-docker-leftovers");
    sweep.setDaemon(true);
    if (leftoverSweep.compareAndSet(null, sweep)) {
      sweep.start();
    }
  }

  @Override
  public java.util.List<String> removeLeftovers() {
    return DockerLeftovers.remove(connection);
  }

  @Override
  public String name() {
    return "docker";
  }

  @Override
  public ImageStore images() {
    return images;
  }

  @Override
  public ContainerRunner containers() {
    return containers;
  }

  /** The API version negotiated with the daemon, such as {@code 1.41}. */
  public String apiVersion() {
    return connection.apiVersion().toString();
  }

  /** The endpoint in use, such as {@code unix:///var/run/docker.sock}. */
  public String endpoint() {
    return connection.endpoint();
  }

  /** For this module's tests, which look behind the SPI. */
  DockerConnection connection() {
    return connection;
  }

  @Override
  public void close() {
    Thread sweep = leftoverSweep.get();
    if (sweep != null) {
      try {
        sweep.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    containers.removeMadeVolumes();
    connection.close();
  }
}
