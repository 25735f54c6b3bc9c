package io.s2i.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.engine.ImageCache;
import io.s2i.internal.image.layout.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing and pruning the layer cache, and the leases that keep what builds use. */
class CacheGcTest {
  @TempDir Path dir;

  /** Writes a layer of {@code size} bytes and returns its digest. */
  private static String layer(LayerCache cache, Path dir, String seed, int size) throws Exception {
    byte[] bytes = (seed + "x".repeat(size)).substring(0, size).getBytes(StandardCharsets.US_ASCII);
    Path f = Files.write(dir.resolve("layer-" + seed), bytes);
    String digest = Digests.of(bytes);
    cache.putLayerFile(f, digest);
    return digest;
  }

  private static String image(LayerCache cache, String label, String... diffIds) throws Exception {
    StringBuilder ids = new StringBuilder();
    for (String d : diffIds) {
      ids.append(ids.length() == 0 ? "" : ",").append('"').append(d).append('"');
    }
    String config = "{\"config\":{\"Labels\":{" + label + "}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids
        + "]}}";
    return cache.writeBlob(config.getBytes(StandardCharsets.UTF_8));
  }

  private static void age(LayerCache cache, String id, int minutesAgo) throws Exception {
    Files.setLastModifiedTime(cache.blob(id), FileTime.from(Instant.now().minusSeconds(60L * minutesAgo)));
  }

  @Test
  void pruneKeepsNamedAndReferencedImagesAndWhatALiveLeaseHolds() throws Exception {
    Path root = dir.resolve("cache");
    String base;
    String named;
    String dangling;
    String state;
    String leftover;
    try (LayerCache writer = new LayerCache(root)) {
      base = layer(writer, dir, "base", 1000);
      String top = layer(writer, dir, "top", 100);
      String old = layer(writer, dir, "old", 300);
      leftover = layer(writer, dir, "orphan", 50);
      state = image(writer, "", base, old);
      named = image(writer, "\"io.s2i.build.artifacts-image\":\"" + state + "\"", base, top);
      dangling = image(writer, "", base, old, top);
      writer.name("app:1", named);
    } // the writer's lease ends: nothing is held any more
    try (LayerCache cache = new LayerCache(root); LayerCache running = new LayerCache(root)) {
      String held = image(running, "\"held\":\"yes\"", base); // an unnamed image a running build just made
      ImageCache.Usage before = new CacheGc(cache).usage(OptionalLong.empty());
      assertThat(before.images()).extracting(ImageCache.Image::id).contains(named, dangling, state, held);
      assertThat(before.images().stream().filter(i -> i.id().equals(held)).findFirst().orElseThrow().inUse()).isTrue();
      assertThat(before.totalBytes()).isGreaterThan(1450);

      ImageCache.PruneResult r = new CacheGc(cache).prune(ImageCache.PruneRequest.unused());
      assertThat(r.removedImages()).singleElement().asString().startsWith(dangling);
      assertThat(Files.exists(cache.blob(leftover))).as("a layer no image lists").isFalse();
      assertThat(r.removedLayers()).isEqualTo(1);
      assertThat(cache.resolve("app:1")).contains(named);
      assertThat(Files.exists(cache.blob(state))).as("kept: the named image's label refers to it").isTrue();
      assertThat(Files.exists(cache.blob(held))).as("kept: a running build holds it").isTrue();

      ImageCache.PruneResult all = new CacheGc(cache).prune(
          new ImageCache.PruneRequest(ImageCache.PruneScope.ALL, OptionalLong.empty()));
      // cache itself leased app:1 by resolving it just now; the other engine holds its image.
      assertThat(all.removedImages()).singleElement().asString().startsWith(state);
      assertThat(all.skippedInUse()).isEqualTo(2);
      assertThat(Files.exists(cache.blob(base))).isTrue();
    }
    try (LayerCache cache = new LayerCache(root)) {
      ImageCache.PruneResult all = new CacheGc(cache).prune(
          new ImageCache.PruneRequest(ImageCache.PruneScope.ALL, OptionalLong.empty()));
      assertThat(all.removedImages()).hasSize(2);
      assertThat(all.remainingBytes()).isZero();
      try (var s = Files.list(root.resolve("blobs/sha256"))) {
        assertThat(s.toList()).isEmpty();
      }
      assertThat(cache.names()).isEmpty();
    }
  }

  @Test
  void pruneToASizeTakesTheLeastRecentlyUsedFirst() throws Exception {
    Path root = dir.resolve("cache");
    String oldest;
    String middle;
    String newest;
    try (LayerCache w = new LayerCache(root)) {
      String shared = layer(w, dir, "shared", 1000);
      oldest = image(w, "", shared, layer(w, dir, "a", 400));
      middle = image(w, "", shared, layer(w, dir, "b", 400));
      newest = image(w, "", shared, layer(w, dir, "c", 400));
      w.name("a", oldest);
      w.name("b", middle);
      w.name("c", newest);
      age(w, oldest, 30);
      age(w, middle, 20);
      age(w, newest, 10);
    }
    try (LayerCache cache = new LayerCache(root)) {
      long total = new CacheGc(cache).usage(OptionalLong.empty()).totalBytes();
      ImageCache.PruneResult r = new CacheGc(cache).prune(
          new ImageCache.PruneRequest(ImageCache.PruneScope.TO_SIZE, OptionalLong.of(total - 100)));
      assertThat(r.removedImages()).singleElement().asString().contains(oldest).contains("(a:latest)");
      assertThat(r.remainingBytes()).isLessThanOrEqualTo(total - 100);
      r = new CacheGc(cache).prune(new ImageCache.PruneRequest(ImageCache.PruneScope.TO_SIZE, OptionalLong.of(1700)));
      assertThat(r.removedImages()).singleElement().asString().contains(middle);
      assertThat(cache.names()).containsOnlyKeys("c:latest");
      assertThat(r.remainingBytes()).isLessThanOrEqualTo(1700);
    }
  }

  @Test
  void aLeaseOfAProcessThatDiedIsDroppedAndHoldsNothing() throws Exception {
    Path root = dir.resolve("cache");
    String image;
    try (LayerCache w = new LayerCache(root)) {
      image = image(w, "", layer(w, dir, "l", 10));
    }
    // As a killed build leaves it: the files, but nobody holding the lock.
    Path leases = root.resolve("leases");
    Files.writeString(leases.resolve("999999-dead.lock"), "");
    Files.writeString(leases.resolve("999999-dead.json"), "{\"digests\":[\"" + image + "\"]}");
    try (LayerCache cache = new LayerCache(root)) {
      ImageCache.PruneResult r = new CacheGc(cache).prune(ImageCache.PruneRequest.unused());
      assertThat(r.removedImages()).singleElement().asString().startsWith(image);
      try (var s = Files.list(leases)) {
        assertThat(s.toList()).isEmpty();
      }
    }
  }

  @Test
  void sizesParse() {
    assertThat(ImageCache.parseSize("10G")).contains(10L << 30);
    assertThat(ImageCache.parseSize("512m")).contains(512L << 20);
    assertThat(ImageCache.parseSize("1.5GiB")).contains(3L << 29);
    assertThat(ImageCache.parseSize("2048")).contains(2048L);
    assertThat(ImageCache.parseSize("lots")).isEmpty();
    assertThat(List.of()).isEmpty();
  }
}
