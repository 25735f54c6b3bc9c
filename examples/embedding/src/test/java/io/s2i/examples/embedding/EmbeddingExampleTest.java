package io.s2i.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildResult;
import io.s2i.api.EventSink;
import io.s2i.testing.engine.FakeBuilders;
import io.s2i.testing.engine.FakeEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The embedding example's build, on the in-memory engine: how an embedder tests without Docker. */
class EmbeddingExampleTest {
  private static final Path REPO = Path.of(System.getProperty("s2i.repo.root", "../..")).toAbsolutePath().normalize();

  // tag::fake-engine[]
  @Test
  void buildsTheExampleAppWithoutDocker() throws Exception {
    FakeEngine engine = FakeEngine.create();
    engine.add("builder:1", FakeBuilders.standard());

    BuildResult result = EmbeddingExample.build(engine, EventSink.discard(),
        REPO.resolve("examples/hello-app"), "builder:1", "app:1");

    var image = engine.image("app:1").orElseThrow();
    assertThat(image.id()).isEqualTo(result.imageId());
    assertThat(image.files().readString("/opt/app-root/src/app.sh")).isPresent();
    assertThat(image.env()).contains("GREETING=Hello from the embedding example");
    assertThat(engine.liveContainers()).isEmpty();
  }
  // end::fake-engine[]
}
