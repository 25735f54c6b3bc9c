package io.s2i.api;

import java.util.List;

/**
 * The outcome of a successful usage request. The script's output also reached the event sink as
 * it was printed ({@link BuildEvent.ContainerOutput}).
 *
 * @param builderImageId the id of the builder image the script ran in
 * @param output the lines the script printed on stdout, the first {@link #MAX_LINES} of them
 * @param steps how long each step took, in order
 */
public record UsageResult(String builderImageId, List<String> output, List<BuildResult.StepTiming> steps) {
  /** The most lines kept in {@link #output()}: a builder's script must not fill the memory. */
  public static final int MAX_LINES = 10_000;

  public UsageResult {
    output = List.copyOf(output);
    steps = List.copyOf(steps);
  }
}
