package io.s2i.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.engine.CommitSpec;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.EngineException;
import io.s2i.testing.engine.EngineAvailability;
import io.s2i.testing.engine.RecordingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code S2I_OCI_ROOTFS=auto} where overlayfs cannot be mounted: the containers' directory (and
 * with {@code S2I_OCI_SCRATCH=disk} the upper dirs in it) is itself on overlayfs, as when s2i runs
 * in a container, and the kernel refuses an upper dir there ("wrong fs type"). A real mount
 * failure, made with a real overlayfs mount, rather than a simulated one.
 */
class OciRootfsFallbackIT {
  private static final String BASE = "localhost/s2i-test/base:latest";
  @TempDir Path tmp;
  private Path containers;
  private Path cacheHome;

  @BeforeEach
  void putTheContainersDirOnOverlayfs() throws Exception {
    cacheHome = tmp.resolve("xdg");
    containers = Files.createDirectories(cacheHome.resolve("s2i-java/oci/containers"));
    Path o = Files.createDirectories(tmp.resolve("ovl"));
    for (String d : List.of("lower", "upper", "work")) {
      Files.createDirectories(o.resolve(d));
    }
    Commands.Result r = Commands.run(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + o.resolve("lower")
        + ",upperdir=" + o.resolve("upper") + ",workdir=" + o.resolve("work"), containers.toString()));
    EngineAvailability.requireOrSkip(r.ok(), "cannot mount overlayfs for the test: " + r.oneLine());
  }

  @AfterEach
  void unmount() throws Exception {
    Commands.run(List.of("umount", containers.toString()));
    FileTrees.deleteRecursively(cacheHome); // unpacked layers hold absolute symlinks
  }

  private OciEngine open(String rootfs) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("XDG_CACHE_HOME", cacheHome.toString());
    env.put("S2I_OCI_SCRATCH", "disk");
    env.put("S2I_OCI_ROOTFS", rootfs);
    return (OciEngine) EngineAvailability.openOrSkip("oci", () -> new OciEngineProvider().open(env));
  }

  private static ContainerSpec spec(String image, String script) {
    return new ContainerSpec(image, "s2i-fallback", "", List.of(), List.of(), List.of("/bin/sh", "-c", script),
        Optional.empty(), false, Optional.of("none"), List.of(), List.of(), List.of());
  }

  @Test
  void autoFallsBackToACopyOnceAndTheCommitHoldsTheChanges() throws Exception {
    try (OciEngine engine = open("auto")) {
      EngineAvailability.requireImage(engine, BASE);
      String committed;
      try (ContainerHandle c = engine.containers().create(spec(BASE, "echo made > /tmp/marker && rm /etc/debian_version"))) {
        assertThat(((OciContainerHandle) c).copied()).as("a copied root").isTrue();
        assertThat(engine.rootfs().copying()).isTrue();
        assertThat(c.run(Optional.empty(), new RecordingSink()).code()).isZero();
        committed = c.commit(new CommitSpec(Optional.empty(), List.of("/bin/sh"), List.of(), "", List.of(), Map.of()));
      }
      try {
        RecordingSink sink = new RecordingSink();
        try (ContainerHandle c = engine.containers().create(spec(committed,
            "cat /tmp/marker; test -e /etc/debian_version || echo deleted"))) {
          assertThat(((OciContainerHandle) c).copied()).isTrue();
          assertThat(c.run(Optional.empty(), sink).code()).isZero();
        }
        assertThat(sink.stdout()).containsExactly("made", "deleted");
        assertThat(engine.rootfs().overlayAttempts()).as("overlayfs is not tried again").isEqualTo(1);
      } finally {
        engine.images().remove(committed);
      }
      try (Stream<Path> left = Files.list(containers)) {
        assertThat(left.toList()).as("container dirs left").isEmpty();
      }
    }
  }

  @Test
  void overlaySettingFailsNamingTheCopySetting() throws Exception {
    try (OciEngine engine = open("overlay")) {
      EngineAvailability.requireImage(engine, BASE);
      assertThatThrownBy(() -> engine.containers().create(spec(BASE, "true")))
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("cannot mount the container's root file system")
          .satisfies(e -> assertThat(((EngineException) e).suggestion()).hasValueSatisfying(
              s -> assertThat(s).contains("S2I_OCI_ROOTFS=copy")));
      try (Stream<Path> left = Files.list(containers)) {
        assertThat(left.toList()).as("container dirs left").isEmpty();
      }
    }
  }
}
