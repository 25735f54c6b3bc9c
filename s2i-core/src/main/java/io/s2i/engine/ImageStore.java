package io.s2i.engine;

import io.s2i.api.PullPolicy;
import io.s2i.image.ImageInfo;
import java.util.Optional;

/** The engine's images. References are passed as text with a tag or digest. */
public interface ImageStore {
  /** Inspects a local image; empty when the engine does not have it. */
  Optional<ImageInfo> inspect(String ref) throws EngineException;

  /**
   * Makes {@code ref} available under {@code policy} and inspects it.
   *
   * @throws ImageNotFoundException when it is absent and cannot be pulled
   */
  ImageInfo ensure(String ref, PullPolicy policy) throws EngineException;

  /** Gives an image another name. */
  void tag(String imageId, String ref) throws EngineException;

  /** Removes an image (by id or name); absent images are ignored. */
  void remove(String image) throws EngineException;
}
