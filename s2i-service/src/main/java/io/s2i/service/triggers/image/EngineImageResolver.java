package io.s2i.service.triggers.image;

import io.s2i.engine.EngineException;
import io.s2i.engine.ImageInfo;
import io.s2i.engine.ImageStore;
import java.util.Objects;
import java.util.Optional;

/**
 * Images in the container engine, through the library's engine SPI: the id the engine gives the
 * name now ({@link ImageStore#inspect}). It changes when the name is re-tagged, rebuilt or pulled
 * anew, so it suits builders made on this machine ({@code localhost/...}); an image patched in a
 * registry changes here only once something pulls it.
 */
public final class EngineImageResolver implements ImageResolver {
  private final ImageStore images;

  /** A resolver over the engine's {@code images}. */
  public EngineImageResolver(ImageStore images) {
    this.images = Objects.requireNonNull(images, "images");
  }

  @Override
  public Optional<String> currentId(String image) throws ImageResolutionException {
    try {
      return images.inspect(image).map(ImageInfo::id);
    } catch (EngineException e) {
      throw new ImageResolutionException("cannot inspect " + image + " in the engine: " + e.getMessage(), e);
    }
  }
}
