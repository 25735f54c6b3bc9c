package io.s2i.service.triggers.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ImageInfo;
import io.s2i.service.triggers.image.EngineImageResolver;
import io.s2i.service.triggers.image.ImageChange;
import io.s2i.service.triggers.image.ImageChangeWatcher;
import io.s2i.service.triggers.image.RegistryDigestResolver;
import io.s2i.service.triggers.image.RoutingImageResolver;
import io.s2i.testing.engine.EngineAvailability;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Image-change detection in the real Docker engine, through the library's engine SPI: a
 * {@code localhost/} builder name re-tagged to another image is reported with both image ids.
 */
class ImageChangeEngineIT {
  private static final String FIXTURE_A = "localhost/s2i-test/base:latest";
  private static final String FIXTURE_B = "localhost/s2i-test/runtime:latest";

  @Test
  void aRetaggedLocalBuilderIsReported() throws Exception {
    try (ContainerEngine engine = EngineAvailability.openOrSkip("docker")) {
      EngineAvailability.requireImage(engine, FIXTURE_A);
      EngineAvailability.requireImage(engine, FIXTURE_B);
      String idA = engine.images().inspect(FIXTURE_A).map(ImageInfo::id).orElseThrow();
      String idB = engine.images().inspect(FIXTURE_B).map(ImageInfo::id).orElseThrow();
      String builder = "localhost/s2i-it-triggers/builder-" + UUID.randomUUID().toString().substring(0, 8) + ":latest";
      List<ImageChange> reported = new ArrayList<>();
      ImageChangeWatcher watcher = new ImageChangeWatcher(
          new RoutingImageResolver(new EngineImageResolver(engine.images()), RegistryDigestResolver.anonymous()),
          reported::add);
      try {
        engine.images().tag(idA, builder);
        watcher.follow(builder, Optional.empty());
        assertThat(watcher.checkAll()).isEmpty();
        assertThat(watcher.knownId(builder)).contains(idA);

        engine.images().tag(idB, builder);
        List<ImageChange> changes = watcher.checkAll();

        assertThat(changes).singleElement().satisfies(change -> {
          assertThat(change.oldId()).contains(idA);
          assertThat(change.newId()).isEqualTo(idB);
        });
        assertThat(watcher.checkAll()).isEmpty();
        assertThat(reported).containsExactlyElementsOf(changes);
      } finally {
        engine.images().remove(builder);
      }
      assertThat(engine.images().inspect(builder)).isEmpty();
      assertThat(engine.images().inspect(FIXTURE_B)).map(ImageInfo::id).contains(idB);
    }
  }
}
