package io.s2i.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How {@code S2i.detect} picks a builder for what it found.
 *
 * @param buildersFile a builder catalogue (YAML) used instead of the one shipped with s2i
 * @param engineImages also consider the builder images the engine has, by their
 *     {@code io.openshift.tags} labels
 * @param strategy the strategy asked for; empty lets the source decide (a {@code Dockerfile} or
 *     {@code Containerfile} at its top means {@link Detection.Strategy#DOCKER}), as
 *     {@code oc new-app --strategy} does
 */
public record DetectOptions(Optional<Path> buildersFile, boolean engineImages,
    Optional<Detection.Strategy> strategy) {

  public DetectOptions {
    buildersFile = buildersFile == null ? Optional.empty() : buildersFile;
    strategy = strategy == null ? Optional.empty() : strategy;
  }

  /** The shipped catalogue plus the engine's builder images; the source decides the strategy. */
  public static DetectOptions defaults() {
    return new DetectOptions(Optional.empty(), true, Optional.empty());
  }
}
