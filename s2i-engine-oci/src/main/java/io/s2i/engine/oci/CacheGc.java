package io.s2i.engine.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.internal.fs.FileTrees;
import io.s2i.engine.ImageCache;
import io.s2i.internal.image.layout.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists and prunes the {@link LayerCache}. Runs with the cache's gc lock held exclusively, so no
 * build adds to its lease meanwhile, and never removes what a live lease holds ({@link CacheLeases}).
 *
 * <p>An image is its config blob, named or not. Untagged images that no kept image refers to (by
 * s2i's {@code io.s2i.build.artifacts-image} label) are unused, and so are layers no image lists.
 * A layer's size is its tar's, counted twice when it is also unpacked for overlayfs (the unpacked
 * tree holds the same bytes). Layer directories are renamed away before being deleted, so a
 * prune that dies midway never leaves half a layer where a build would mount it.
 */
final class CacheGc {
  private static final Logger LOG = LoggerFactory.getLogger(CacheGc.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARTIFACTS_IMAGE = "io.s2i.build.artifacts-image";
  private final LayerCache cache;

  CacheGc(LayerCache cache) {
    this.cache = cache;
  }

  /** What the cache holds, most recently used images first. */
  ImageCache.Usage usage(OptionalLong limit) throws IOException {
    return cache.leases().exclusive(() -> {
      Snapshot s = snapshot();
      List<ImageCache.Image> images = new ArrayList<>();
      for (Image i : s.images.values()) {
        long size = i.configBytes;
        for (String d : new HashSet<>(i.diffIds)) {
          size += s.layerBytes.getOrDefault(d, 0L);
        }
        images.add(new ImageCache.Image(i.id, i.names, size, i.lastUsed, s.inUse.contains(i.id)));
      }
      images.sort(Comparator.comparing(ImageCache.Image::lastUsed).reversed());
      Plan unused = s.plan(ImageCache.PruneScope.UNUSED, OptionalLong.empty());
      return new ImageCache.Usage(cache.root().toString(), images, s.total(), s.layerBytes.size(),
          unused.reclaimed, limit);
    });
  }

  /** Removes what the request asks for, except what live leases hold. */
  ImageCache.PruneResult prune(ImageCache.PruneRequest request) throws IOException {
    return cache.leases().exclusive(() -> {
      sweepPruneLeftovers();
      Snapshot s = snapshot();
      Plan plan = s.plan(request.scope(), request.maxBytes());
      List<String> removed = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      plan.images.forEach(i -> ids.add(i.id));
      if (!ids.isEmpty()) {
        cache.unnameImages(ids);
      }
      for (Image i : plan.images) {
        Files.deleteIfExists(cache.blob(i.id));
        removed.add(i.id + (i.names.isEmpty() ? "" : " (" + String.join(", ", i.names) + ")"));
      }
      for (String diffId : plan.layers) {
        deleteLayer(diffId);
      }
      long remaining = s.total() - plan.reclaimed;
      LOG.debug("cache prune ({}): {} images and {} layers removed, {} bytes freed, {} bytes left",
          request.scope(), plan.images.size(), plan.layers.size(), plan.reclaimed, remaining);
      return new ImageCache.PruneResult(removed, plan.layers.size(), plan.reclaimed, remaining, plan.skippedInUse);
    });
  }

  private void deleteLayer(String diffId) throws IOException {
    String hex = Digests.hex(diffId);
    Path dir = cache.layersDir().resolve(hex);
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Path away = cache.tempDir("prune-").resolve("layer");
      Files.move(dir, away, StandardCopyOption.ATOMIC_MOVE);
      FileTrees.deleteQuietly(away.getParent());
    }
    Files.deleteIfExists(cache.blob(diffId));
    Files.deleteIfExists(cache.root().resolve("gzip").resolve(hex));
  }

  /** Layer trees a prune that died had renamed away but not deleted (prunes never overlap). */
  private void sweepPruneLeftovers() throws IOException {
    Path tmp = cache.root().resolve("tmp");
    try (Stream<Path> s = Files.list(tmp)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("prune-")).toList()) {
        FileTrees.deleteQuietly(p);
      }
    }
  }

  /** An image of the cache. */
  private record Image(String id, List<String> diffIds, List<String> names, Instant lastUsed, long configBytes,
      String artifactsImage) {}

  /** What a prune removes and what it frees. */
  private record Plan(List<Image> images, Set<String> layers, long reclaimed, int skippedInUse) {}

  private Snapshot snapshot() throws IOException {
    Set<String> inUse = cache.leases().live();
    Map<String, List<String>> namesById = new HashMap<>();
    cache.names().forEach((name, id) -> namesById.computeIfAbsent(id, k -> new ArrayList<>()).add(name));
    Map<String, Image> images = new LinkedHashMap<>();
    Map<String, Long> blobBytes = new HashMap<>();
    List<Path> blobs;
    try (Stream<Path> s = Files.list(cache.blobsDir())) {
      blobs = s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).sorted().toList();
    }
    for (Path blob : blobs) {
      String digest = "sha256:" + blob.getFileName();
      long size;
      try {
        size = Files.size(blob);
      } catch (java.nio.file.NoSuchFileException gone) {
        continue;
      }
      Image image = readConfig(blob, digest, size, namesById.getOrDefault(digest, List.of()));
      if (image != null) {
        images.put(digest, image);
      } else {
        blobBytes.put(digest, size);
      }
    }
    Map<String, Long> layerBytes = new TreeMap<>();
    blobBytes.forEach(layerBytes::put);
    try (Stream<Path> s = Files.list(cache.layersDir())) {
      for (Path dir : s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).toList()) {
        String digest = "sha256:" + dir.getFileName();
        Long tar = blobBytes.get(digest);
        layerBytes.merge(digest, tar != null ? tar : treeSize(dir), Long::sum);
      }
    }
    Set<String> used = new HashSet<>(inUse);
    for (String d : inUse) {
      Image i = images.get(d);
      if (i != null) {
        used.addAll(i.diffIds);
      }
    }
    return new Snapshot(images, layerBytes, used);
  }

  /** The bytes of the files under {@code dir} (an unpacked layer whose tar is gone). */
  private static long treeSize(Path dir) throws IOException {
    long[] total = {0};
    Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
        total[0] += a.isRegularFile() ? a.size() : 0;
        return java.nio.file.FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }

  /** The image whose config {@code blob} is, or null for a blob that is not a config (a layer). */
  private static Image readConfig(Path blob, String digest, long size, List<String> names) throws IOException {
    if (size > (4 << 20)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(blob)) {
      if (in.read() != '{') {
        return null;
      }
    } catch (java.nio.file.NoSuchFileException gone) {
      return null;
    }
    JsonNode config;
    try {
      config = JSON.readTree(blob.toFile());
    } catch (IOException notJson) {
      return null;
    }
    JsonNode ids = config.path("rootfs").path("diff_ids");
    if (!ids.isArray()) {
      return null;
    }
    List<String> diffIds = new ArrayList<>();
    ids.forEach(d -> diffIds.add(d.asText()));
    String artifacts = config.path("config").path("Labels").path(ARTIFACTS_IMAGE).asText("");
    Instant lastUsed = Files.getLastModifiedTime(blob).toInstant();
    return new Image(digest, diffIds, List.copyOf(names), lastUsed, size, artifacts);
  }

  /** The cache at one moment, under the exclusive lock. */
  private static final class Snapshot {
    final Map<String, Image> images;
    final Map<String, Long> layerBytes;
    final Set<String> inUse;

    Snapshot(Map<String, Image> images, Map<String, Long> layerBytes, Set<String> inUse) {
      this.images = images;
      this.layerBytes = layerBytes;
      this.inUse = inUse;
    }

    long total() {
      long t = 0;
      for (Image i : images.values()) {
        t += i.configBytes;
      }
      for (long b : layerBytes.values()) {
        t += b;
      }
      return t;
    }

    Plan plan(ImageCache.PruneScope scope, OptionalLong maxBytes) {
      Map<String, Image> kept = new LinkedHashMap<>(images);
      List<Image> gone = new ArrayList<>();
      Set<String> skipped = new HashSet<>();
      if (scope == ImageCache.PruneScope.ALL) {
        for (Image i : images.values()) {
          if (inUse.contains(i.id)) {
            skipped.add(i.id);
          } else {
            gone.add(kept.remove(i.id));
          }
        }
      } else {
        sweepUnused(kept, gone);
      }
      if (scope == ImageCache.PruneScope.TO_SIZE && maxBytes.isPresent()) {
        long size = sizeOf(kept);
        while (size > maxBytes.getAsLong()) {
          Image oldest = null;
          for (Image i : kept.values()) {
            if (inUse.contains(i.id)) {
              skipped.add(i.id);
            } else if (!referenced(kept, i) && (oldest == null || i.lastUsed.isBefore(oldest.lastUsed))) {
              oldest = i;
            }
          }
          if (oldest == null) {
            break; // what is left is in use (or held by what is in use)
          }
          gone.add(kept.remove(oldest.id));
          sweepUnused(kept, gone);
          size = sizeOf(kept);
        }
      }
      Set<String> keptLayers = new HashSet<>(inUse);
      kept.values().forEach(i -> keptLayers.addAll(i.diffIds));
      Set<String> layers = new java.util.TreeSet<>();
      long reclaimed = 0;
      for (Map.Entry<String, Long> l : layerBytes.entrySet()) {
        if (!keptLayers.contains(l.getKey())) {
          layers.add(l.getKey());
          reclaimed += l.getValue();
        }
      }
      for (Image i : gone) {
        reclaimed += i.configBytes;
      }
      skipped.removeIf(id -> !kept.containsKey(id));
      return new Plan(gone, layers, reclaimed, scope == ImageCache.PruneScope.UNUSED ? 0 : skipped.size());
    }

    /** Moves untagged images nothing kept refers to (and nothing holds) from kept to gone, repeatedly. */
    private void sweepUnused(Map<String, Image> kept, List<Image> gone) {
      boolean changed = true;
      while (changed) {
        changed = false;
        for (Image i : List.copyOf(kept.values())) {
          if (i.names.isEmpty() && !inUse.contains(i.id) && !referenced(kept, i)) {
            gone.add(kept.remove(i.id));
            changed = true;
          }
        }
      }
    }

    private static boolean referenced(Map<String, Image> kept, Image image) {
      for (Image k : kept.values()) {
        if (k != image && image.id.equals(k.artifactsImage)) {
          return true;
        }
      }
      return false;
    }

    private long sizeOf(Map<String, Image> kept) {
      Set<String> layers = new HashSet<>(inUse);
      long size = 0;
      for (Image i : kept.values()) {
        size += i.configBytes;
        layers.addAll(i.diffIds);
      }
      for (String l : layers) {
        size += layerBytes.getOrDefault(l, 0L);
      }
      return size;
    }
  }
}
