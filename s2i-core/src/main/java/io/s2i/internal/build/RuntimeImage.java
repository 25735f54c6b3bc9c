package io.s2i.internal.build;

import io.s2i.internal.contract.S2iLabels;
import io.s2i.api.BuildRequest;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.PathMapping;
import io.s2i.api.RuntimeArtifactRules;
import io.s2i.api.RuntimeImageSpec;
import io.s2i.api.S2iException;
import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageStore;
import io.s2i.engine.ImageInfo;
import java.util.List;
import java.util.Optional;

/**
 * The runtime image of an extended build, prepared as upstream does before the sources are
 * fetched: pulled under its policy, its artifact mappings taken from {@code -a} or its
 * {@code assemble-input-files} label and checked, and its assemble-runtime user decided.
 *
 * @param ref the runtime image's name
 * @param contract its contract
 * @param artifacts what to copy from the builder
 * @param user the assemble-runtime user; empty for the image's
 */
public record RuntimeImage(String ref, BuilderImageContract contract, List<PathMapping> artifacts, String user) {

  /** Prepares the runtime image of {@code request}, when it has one. */
  public static Optional<RuntimeImage> prepare(BuildRequest request, ImageStore images, EventSink events)
      throws S2iException {
    if (request.runtime().isEmpty()) {
      return Optional.empty();
    }
    RuntimeImageSpec spec = request.runtime().get();
    String ref = spec.image().withDefaultTag();
    ImageInfo info;
    try {
      info = images.ensure(ref, spec.pullPolicy());
    } catch (EngineException e) {
      throw new S2iException(FailureReason.PULL_BUILDER_IMAGE_FAILED,
          "runtime image " + ref + " is not available: " + e.getMessage(),
          e.suggestion().orElse("check runtime.image and runtime.pullPolicy"), e);
    }
    BuilderImageContract contract = new BuilderImageContract(ref, info, events);
    List<PathMapping> artifacts = spec.artifacts();
    if (artifacts.isEmpty()) {
      String label = contract.assembleInputFiles().orElse("");
      if (label.isEmpty()) {
        throw new S2iException(FailureReason.INVALID_REQUEST,
            "no runtime artifacts to copy were specified: image \"" + ref
                + "\" has no " + S2iLabels.ASSEMBLE_INPUT_FILES + " label",
            "name them with runtime.artifacts /path/in/builder[:dir/in/runtime]");
      }
      try {
        artifacts = PathMapping.parseList(label);
      } catch (IllegalArgumentException e) {
        throw new S2iException(FailureReason.INVALID_REQUEST,
            "could not parse the " + S2iLabels.ASSEMBLE_INPUT_FILES + " label of " + ref + ": " + e.getMessage(),
            "fix the label, or name the artifacts with runtime.artifacts", e);
      }
      for (PathMapping m : artifacts) {
        String problem = RuntimeArtifactRules.check(m);
        if (problem != null) {
          throw new S2iException(FailureReason.INVALID_REQUEST, problem + " (from the label of " + ref + ")",
              "name the artifacts with runtime.artifacts instead", null);
        }
      }
    }
    String user = spec.assembleRuntimeUser().or(contract::assembleRuntimeUser).orElse("");
    return Optional.of(new RuntimeImage(ref, contract, artifacts, user));
  }

  /** The runtime image's working directory, where artifacts go; {@code /} when unset. */
  public String workDir() {
    String wd = contract.image().workingDir();
    return wd.isEmpty() ? "/" : wd;
  }
}
