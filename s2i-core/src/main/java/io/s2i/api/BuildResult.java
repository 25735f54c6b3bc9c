package io.s2i.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a successful build.
 *
 * @param imageId id of the image: the engine's id, or the config digest of a file output
 * @param tag the name it was given, if any
 * @param labels the labels written on it
 * @param steps how long each step took, in order
 * @param digest the manifest digest, when the image was pushed or written as an OCI layout
 * @param outputs where the image went: engine tags, pushed references, files
 * @param size the image size in bytes (0 when unknown)
 * @param source the application source and its commit, when known
 */
public record BuildResult(
    String imageId,
    Optional<ImageRef> tag,
    Map<String, String> labels,
    List<StepTiming> steps,
    Optional<String> digest,
    List<String> outputs,
    long size,
    Optional<SourceInfo> source) {

  /** One step's duration. */
  public record StepTiming(String step, Duration duration) {}

  public BuildResult {
    labels = Map.copyOf(labels);
    steps = List.copyOf(steps);
    outputs = List.copyOf(outputs);
  }

  /** A result before publishing: no digest, outputs or size yet. */
  public BuildResult(
      String imageId, Optional<ImageRef> tag, Map<String, String> labels, List<StepTiming> steps) {
    this(imageId, tag, labels, steps, Optional.empty(),
        tag.map(t -> List.of(t.toString())).orElse(List.of()), 0, Optional.empty());
  }

  /** This result with the step timings replaced (the publish step adds its own). */
  public BuildResult withSteps(List<StepTiming> newSteps) {
    return new BuildResult(imageId, tag, labels, newSteps, digest, outputs, size, source);
  }
}
