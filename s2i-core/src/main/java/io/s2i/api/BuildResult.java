package io.s2i.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a successful build.
 *
 * @param imageId id of the committed image
 * @param tag the name it was given, if any
 * @param labels the labels written on it
 * @param steps how long each step took, in order
 */
public record BuildResult(
    String imageId, Optional<ImageRef> tag, Map<String, String> labels, List<StepTiming> steps) {

  /** One step's duration. */
  public record StepTiming(String step, Duration duration) {}

  public BuildResult {
    labels = Map.copyOf(labels);
    steps = List.copyOf(steps);
  }
}
