package io.s2i.engine.oci;

import io.s2i.engine.ContainerEngine;
import io.s2i.testing.engine.ContainerEngineContract;
import io.s2i.testing.engine.EngineAvailability;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The engine contract against the daemonless engine. The base image comes from the Docker daemon
 * of this machine (imported into the layer cache once), as it would on a developer's machine.
 */
class OciEngineContractIT extends ContainerEngineContract {
  static OciEngine engine;

  @BeforeAll
  static void openEngine() {
    engine = (OciEngine) EngineAvailability.openOrSkip("oci");
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
    return engine.containerExists(id);
  }
}
