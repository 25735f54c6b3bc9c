package io.s2i.service.triggers.image;

import java.util.Optional;

/** Tells what an image reference names now. Implementations are thread-safe. */
public interface ImageResolver {

  /**
   * The current id or digest of {@code image} ({@code sha256:...}).
   *
   * @return empty when the image does not exist (no such name or tag)
   * @throws ImageResolutionException when it cannot be told now (unreachable, refused); the watcher
   *     keeps what it knew and asks again later
   */
  Optional<String> currentId(String image) throws ImageResolutionException;
}
