package io.s2i.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The store of images and layers an engine keeps by itself (the daemonless engine's cache; a
 * daemon manages its own), seen from outside: what it holds and how to make it smaller. Images a
 * running build uses are never removed, whichever process runs it.
 */
public interface ImageCache {
  /** What the cache holds now. */
  Usage usage() throws EngineException;

  /** Removes what {@code request} says, except what running builds use. */
  PruneResult prune(PruneRequest request) throws EngineException;

  /**
   * Removes names from the cache; the images they named stay until a prune finds them unused.
   *
   * @return the names that were there
   */
  List<String> untag(List<String> names) throws EngineException;

  /**
   * One image of the cache.
   *
   * @param id the config digest ({@code sha256:...})
   * @param names its names, empty for an untagged image
   * @param sizeBytes its config and layers (layers shared with other images counted too)
   * @param lastUsed when a build last used it (pulled, built, ran or tagged it)
   * @param inUse whether a running build holds it
   */
  record Image(String id, List<String> names, long sizeBytes, Instant lastUsed, boolean inUse) {
    public Image {
      names = List.copyOf(names);
    }
  }

  /**
   * The content of the cache.
   *
   * @param location where it lives
   * @param images every image, most recently used first
   * @param totalBytes everything stored: configs, layer tars, unpacked layers
   * @param layers the number of layers stored
   * @param reclaimableBytes what a default prune would free now
   * @param limitBytes the size cap, when one is set
   */
  record Usage(String location, List<Image> images, long totalBytes, int layers, long reclaimableBytes,
      OptionalLong limitBytes) {
    public Usage {
      images = List.copyOf(images);
    }
  }

  /** What a prune removes. */
  enum PruneScope {
    /** Untagged images nothing refers to, and layers no image uses. */
    UNUSED,
    /** Every image and layer no running build uses. */
    ALL,
    /** Unused content first, then images least recently used first, until the cache fits the size. */
    TO_SIZE
  }

  /**
   * A prune.
   *
   * @param scope what to remove
   * @param maxBytes the size to get under ({@link PruneScope#TO_SIZE} only)
   */
  record PruneRequest(PruneScope scope, OptionalLong maxBytes) {
    public static PruneRequest unused() {
      return new PruneRequest(PruneScope.UNUSED, OptionalLong.empty());
    }
  }

  /**
   * What a prune did.
   *
   * @param removedImages ids of the images removed, with their names where they had some
   * @param removedLayers how many layers were removed
   * @param reclaimedBytes bytes freed
   * @param remainingBytes bytes the cache holds afterwards
   * @param skippedInUse images a running build holds that would have gone otherwise
   */
  record PruneResult(List<String> removedImages, int removedLayers, long reclaimedBytes, long remainingBytes,
      int skippedInUse) {
    public PruneResult {
      removedImages = List.copyOf(removedImages);
    }
  }

  /** The byte count of a size such as {@code 10G}, {@code 512M}, {@code 2048k} or {@code 1000} (bytes). */
  static Optional<Long> parseSize(String text) {
    if (text == null) {
      return Optional.empty();
    }
    var m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?\\s*").matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    double n = Double.parseDouble(m.group(1));
    int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    return Optional.of((long) (n * (1L << shift)));
  }
}
