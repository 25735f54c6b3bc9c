package io.s2i.engine;

/** Creates containers. */
public interface ContainerRunner {
  /** Creates (but does not start) a container; close the handle to remove it. */
  ContainerHandle create(ContainerSpec spec) throws EngineException;
}
