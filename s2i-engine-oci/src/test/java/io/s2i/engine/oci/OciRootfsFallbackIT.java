package io.s2i.engine.oci;

import io.s2i.internal.fs.FileTrees;
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
 * {@code S2I_OCI_ROOTFS=auto} where overlayfs cannot be used, as when s2i runs in a container whose
 * root is overlayfs: real overlayfs mounts made by the test, and the real failures the kernel gives
 * rather than simulated ones.
 *
 * <ul>
 *   <li>The containers' directory on overlayfs, with the upper dirs in it
 *       ({@code S2I_OCI_SCRATCH=disk}): the kernel refuses the mount ("wrong fs type").
 *   <li>The whole cache on overlayfs: the kernel refuses the whiteout devices of a layer that
 *       deletes a file ("Operation not permitted" for mknod), so it cannot become a lower dir.
 * </ul>
 */
class OciRootfsFallbackIT {
  private static final String BASE = "localhost/s2i-test/base:latest";
  @TempDir Path tmp;
  private final java.util.Deque<Path> mounts = new java.util.ArrayDeque<>();
  private Path cacheHome;
  private Path containers;

  @BeforeEach
  void paths() {
    cacheHome = tmp.resolve("xdg");
    containers = cacheHome.resolve("s2i-java/oci/containers");
  }

  /** Mounts a fresh overlayfs (over empty dirs in the temp dir) on {@code target}. */
  private void mountOverlayfs(Path target) throws Exception {
    Files.createDirectories(target);
    Path o = Files.createDirectories(tmp.resolve("ovl-" + mounts.size()));
    for (String d : List.of("lower", "upper", "work")) {
      Files.createDirectories(o.resolve(d));
    }
    Commands.Result r = Commands.run(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + o.resolve("lower")
        + ",upperdir=" + o.resolve("upper") + ",workdir=" + o.resolve("work"), target.toString()));
    EngineAvailability.requireOrSkip(r.ok(), "cannot mount overlayfs for the test: " + r.oneLine());
    mounts.push(target);
  }

  @AfterEach
  void unmount() throws Exception {
    FileTrees.deleteQuietly(containers);
    while (!mounts.isEmpty()) {
      Commands.run(List.of("umount", mounts.pop().toString()));
    }
    FileTrees.delete(cacheHome); // unpacked layers hold absolute symlinks
  }

  private OciEngine open(String rootfs) {
    return open(rootfs, "disk");
  }

  private OciEngine open(String rootfs, String scratch) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("XDG_CACHE_HOME", cacheHome.toString());
    env.put("S2I_OCI_SCRATCH", scratch);
    env.put("S2I_OCI_ROOTFS", rootfs);
    return (OciEngine) EngineAvailability.openOrSkip("oci", () -> new OciEngineProvider().open(env));
  }

  private static ContainerSpec spec(String image, String script) {
    return new ContainerSpec(image, "s2i-fallback", "", List.of(), List.of(), List.of("/bin/sh", "-c", script),
        Optional.empty(), false, Optional.of("none"), List.of(), List.of(), List.of());
  }

  @Test
  void autoFallsBackToACopyOnceAndTheCommitHoldsTheChanges() throws Exception {
    mountOverlayfs(containers);
    try (OciEngine engine = open("auto")) {
      EngineAvailability.requireImage(engine, BASE);
      String committed;
      try (ContainerHandle c = engine.containers().create(spec(BASE, "echo made > /tmp/marker && rm /etc/debian_version"))) {
        assertThat(((OciContainerHandle) c).copied()).as("a copied root").isTrue();
        assertThat(engine.rootfs().copying()).isTrue();
        assertThat(engine.rootfs().overlayFailure()).hasValueSatisfying(why -> assertThat(why)
            .contains("mounting overlayfs failed"));
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
    mountOverlayfs(containers);
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

  @Test
  void autoFallsBackToACopyWhenTheCacheCannotHoldWhiteouts() throws Exception {
    // An image whose top layer deletes a file, made by an engine with a cache of its own.
    String image = "localhost/s2i-test/fallback-whiteout:" + Long.toHexString(System.nanoTime());
    Path makerCache = tmp.resolve("maker");
    Map<String, String> makerEnv = new HashMap<>(System.getenv());
    makerEnv.put("XDG_CACHE_HOME", makerCache.toString());
    OciEngine maker = (OciEngine) EngineAvailability.openOrSkip("oci", () -> new OciEngineProvider().open(makerEnv));
    try {
      EngineAvailability.requireImage(maker, BASE);
      try (ContainerHandle c = maker.containers().create(spec(BASE, "rm /etc/debian_version"))) {
        assertThat(c.run(Optional.empty(), new RecordingSink()).code()).isZero();
        c.commit(new CommitSpec(Optional.of(image), List.of("/bin/sh"), List.of(), "", List.of(), Map.of()));
      }
      mountOverlayfs(cacheHome);
      Files.createDirectories(cacheHome.resolve("probe"));
      boolean whiteoutsRefused = !Commands.run(List.of("mknod", cacheHome.resolve("probe/wh").toString(), "c", "0", "0")).ok();
      try (OciEngine engine = open("auto", "memory:1g")) {
        RecordingSink sink = new RecordingSink();
        try (ContainerHandle c = engine.containers().create(spec(image, "test -e /etc/debian_version || echo deleted"))) {
          if (whiteoutsRefused) {
            assertThat(((OciContainerHandle) c).copied()).as("a copied root, as the whiteout cannot be cached").isTrue();
            assertThat(engine.rootfs().overlayFailure()).hasValueSatisfying(why -> assertThat(why)
                .contains("cannot unpack the layers as overlayfs lower dirs").contains("not permitted"));
          }
          assertThat(c.run(Optional.empty(), sink).code()).isZero();
        }
        assertThat(sink.stdout()).containsExactly("deleted");
        engine.images().remove(image);
      }
    } finally {
      maker.images().remove(image);
      maker.close();
      FileTrees.delete(makerCache);
    }
  }
}
