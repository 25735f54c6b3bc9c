package io.s2i.engine;

import java.util.Map;

/** Finds and opens one kind of engine; discovered through {@link java.util.ServiceLoader}. */
public interface EngineProvider {
  /** The name used with {@code --engine}, such as {@code docker}. */
  String id();

  /** Lower tries first when no engine is named. */
  int priority();

  /**
   * Opens the engine described by {@code environment} (for example {@code DOCKER_HOST}).
   *
   * @throws EngineUnavailableException with the reason, when it cannot be reached
   */
  ContainerEngine open(Map<String, String> environment) throws EngineUnavailableException;

  /**
   * Starts, without waiting for it, the work a later {@code open} of the same environment will
   * need (reaching the engine, making its client ready), so that the caller can do other work
   * meanwhile; {@code open} then uses it, or ignores it when the environment differs. Failures are
   * kept for {@code open} to report. By default nothing is prepared.
   */
  default void prepare(Map<String, String> environment) {}
}
