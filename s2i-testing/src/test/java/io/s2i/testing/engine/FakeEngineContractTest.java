package io.s2i.testing.engine;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake engine passes the contract every real engine passes (the same class the Docker and oci
 * engines' ITs extend), so tests built on it exercise the orchestration against the behaviour an
 * engine really has. Left out, as the fake does not model them: exporting and loading image
 * archives, and pushing to a real registry (its refusal of an unreachable one is kept).
 */
class FakeEngineContractTest extends ContainerEngineContract {
  private final FakeEngine engine = FakeEngine.create();

  FakeEngineContractTest() {
    engine.add(baseImage(), FakeImage.base().workingDir("/var").workingDir("/tmp").workingDir("/"));
  }

  @Override
  protected FakeEngine engine() {
    return engine;
  }

  @Override
  protected boolean containerExists(String id) {
    return engine.liveContainers().stream().anyMatch(c -> c.id().equals(id));
  }

  // Not tests here: the fake does not model image archives or a real registry.

  @Override
  protected void exportWritesADockerArchiveWhoseConfigDigestIsTheImageId(@TempDir Path dir) {}

  @Override
  protected void loadKeepsTheConfigSoTheIdIsItsDigest(@TempDir Path dir) {}

  @Override
  protected void pushReturnsTheDigestTheRegistryStores(@TempDir Path dir) {}
}
