package io.s2i.service.triggers.image;

import io.s2i.api.ImageRef;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Sends each image to the engine or to its registry. By default an image is followed in its
 * registry, where a patched builder is pushed, except names under {@code localhost/}, which no
 * registry serves: those are the engine's. A configuration can say otherwise through the predicate.
 */
public final class RoutingImageResolver implements ImageResolver {
  private final ImageResolver engine;
  private final ImageResolver registry;
  private final Predicate<String> inEngine;

  /** Routes {@code localhost/...} names to {@code engine} and all others to {@code registry}. */
  public RoutingImageResolver(ImageResolver engine, ImageResolver registry) {
    this(engine, registry, RoutingImageResolver::isLocalName);
  }

  /** Routes the images {@code inEngine} accepts to {@code engine}, the others to {@code registry}. */
  public RoutingImageResolver(ImageResolver engine, ImageResolver registry, Predicate<String> inEngine) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.inEngine = Objects.requireNonNull(inEngine, "inEngine");
  }

  /** Whether {@code image} is named under {@code localhost/}, a name only an engine holds. */
  public static boolean isLocalName(String image) {
    try {
      return ImageRef.parse(image).registry().map("localhost"::equals).orElse(false);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public Optional<String> currentId(String image) throws ImageResolutionException {
    return (inEngine.test(image) ? engine : registry).currentId(image);
  }
}
