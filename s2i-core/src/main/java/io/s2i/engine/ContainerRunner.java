package io.s2i.engine;

import io.s2i.api.RunOptions;

/** Creates containers. */
public interface ContainerRunner {
  /** Creates (but does not start) a container; close the handle to remove it. */
  ContainerHandle create(ContainerSpec spec) throws EngineException;

  /**
   * Checks, before any container of the build is made, that containers can run with {@code run}'s
   * network, capabilities and volumes on this engine (a network that does not exist, a volume
   * kind the engine lacks), so that such a mistake fails at once rather than after a pull or
   * save-artifacts. By default nothing is checked.
   *
   * @throws EngineException with {@link io.s2i.api.FailureReason#INVALID_REQUEST}, naming the
   *     request's field and what is wrong with it
   */
  default void checkRunOptions(RunOptions run) throws EngineException {}
}
