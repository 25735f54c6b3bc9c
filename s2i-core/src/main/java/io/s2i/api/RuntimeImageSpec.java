package io.s2i.api;

import java.util.List;
import java.util.Optional;

/**
 * An extended build: artifacts are copied from the builder into a separate runtime image.
 *
 * @param image the runtime image
 * @param pullPolicy its pull policy
 * @param artifacts what to copy ({@code -a}); empty means the runtime image's
 *     {@code assemble-input-files} label
 * @param assembleRuntimeUser user for assemble-runtime; empty means the label's, else the image's
 */
public record RuntimeImageSpec(
    ImageRef image, PullPolicy pullPolicy, List<PathMapping> artifacts, Optional<String> assembleRuntimeUser) {

  public RuntimeImageSpec {
    artifacts = List.copyOf(artifacts);
    assembleRuntimeUser = assembleRuntimeUser.filter(s -> !s.isBlank());
  }
}
