package io.s2i.engine.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import io.s2i.engine.ContainerEngine;
import io.s2i.testing.engine.ContainerEngineContract;
import io.s2i.testing.engine.EngineAvailability;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The engine contract against the Docker daemon of this machine. */
class DockerEngineContractIT extends ContainerEngineContract {
  static DockerEngine engine;

  @BeforeAll
  static void openEngine() {
    engine = (DockerEngine) EngineAvailability.openOrSkip("docker");
  }

  @AfterAll
  static void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  @Override
  protected ContainerEngine engine() {
    return engine;
  }

  @Override
  protected boolean containerExists(String id) {
    try {
      engine.connection().client().inspectContainerCmd(id).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }
}
