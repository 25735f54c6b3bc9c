package io.s2i.engine.oci;

import io.s2i.engine.EngineException;
import io.s2i.engine.ImageCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The daemonless engine's cache as the engine SPI shows it ({@code s2i cache ls|prune|rm}), with
 * the size cap {@code S2I_OCI_CACHE_MAX}: when set, an engine prunes the cache to it as it
 * closes, least recently used images first, after its own lease is released.
 */
final class OciImageCache implements ImageCache {
  private final LayerCache cache;
  private final OptionalLong limit;

  OciImageCache(LayerCache cache, OptionalLong limit) {
    this.cache = cache;
    this.limit = limit;
  }

  OptionalLong limit() {
    return limit;
  }

  @Override
  public Usage usage() throws EngineException {
    try {
      return new CacheGc(cache).usage(limit);
    } catch (IOException e) {
      throw OciImageStore.failure("cannot read the oci engine's cache " + cache.root(), e);
    }
  }

  @Override
  public PruneResult prune(PruneRequest request) throws EngineException {
    if (request.scope() == PruneScope.TO_SIZE && request.maxBytes().isEmpty()) {
      throw new EngineException(io.s2i.api.FailureReason.INVALID_REQUEST, "a prune to a size needs the size",
          "give --max SIZE or set S2I_OCI_CACHE_MAX", null);
    }
    try {
      return new CacheGc(cache).prune(request);
    } catch (IOException e) {
      throw OciImageStore.failure("cannot prune the oci engine's cache " + cache.root(), e);
    }
  }

  @Override
  public List<String> untag(List<String> names) throws EngineException {
    List<String> removed = new ArrayList<>();
    try {
      for (String name : names) {
        if (cache.unname(name).isPresent()) {
          removed.add(name);
        }
      }
    } catch (IOException e) {
      throw OciImageStore.failure("cannot change the oci engine's cache " + cache.root(), e);
    }
    return removed;
  }

  /** Prunes to the cap, if one is set; for an engine closing (its lease already released). */
  void enforceLimit() throws EngineException {
    if (limit.isPresent()) {
      prune(new PruneRequest(PruneScope.TO_SIZE, limit));
    }
  }
}
