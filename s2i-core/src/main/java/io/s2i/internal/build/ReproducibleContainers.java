package io.s2i.internal.build;

import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ContainerRunner;
import io.s2i.engine.ImageStore;

/**
 * The engine as a reproducible build ({@code SOURCE_DATE_EPOCH}) sees it: every container it runs
 * (assemble, save-artifacts, assemble-runtime) has the same environment on every run. The one part
 * an engine makes up per container is the host name (the container's random id, which is also
 * {@code HOSTNAME}), so a script that records its environment wrote a different file each time;
 * here it is {@value #HOSTNAME}.
 */
public final class ReproducibleContainers implements ContainerEngine {
  /** The host name of every container of a reproducible build. */
  public static final String HOSTNAME = "s2i-build";
  private final ContainerEngine engine;

  private ReproducibleContainers(ContainerEngine engine) {
    this.engine = engine;
  }

  /** {@code engine} for a build: unchanged, or with fixed host names when the build is reproducible. */
  public static ContainerEngine forBuild(ContainerEngine engine, boolean reproducible) {
    return reproducible ? new ReproducibleContainers(engine) : engine;
  }

  @Override
  public String name() {
    return engine.name();
  }

  @Override
  public ImageStore images() {
    return engine.images();
  }

  @Override
  public ContainerRunner containers() {
    ContainerRunner runner = engine.containers();
    return spec -> runner.create(spec.withHostname(HOSTNAME));
  }

  /** Does not close the wrapped engine: its owner does. */
  @Override
  public void close() {}
}
