package io.s2i.internal.build;

import io.s2i.api.BuildRequest;
import io.s2i.api.EventSink;
import io.s2i.api.IncrementalSpec;
import io.s2i.internal.contract.S2iLabels;
import io.s2i.internal.contract.ScriptName;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageStore;
import io.s2i.engine.ImageInfo;
import io.s2i.internal.scripts.ResolvedScript;
import java.util.Map;
import java.util.Optional;

/**
 * The image an incremental build takes its artifacts from. Incremental mode is entered, as
 * upstream, only when it was asked for, the image can be had under its pull policy, and a
 * save-artifacts script was found; otherwise the build is clean.
 *
 * @param ref the previous image's name
 * @param info the image save-artifacts runs in: the previous output, or for an extended build
 *     the builder-side image recorded on it
 * @param replaced the images {@code --rm} removes after a successful build
 */
public record PreviousImage(String ref, ImageInfo info, java.util.List<String> replaced) {

  /** The previous image, when incremental mode applies. */
  public static Optional<PreviousImage> find(BuildRequest request,
      Map<ScriptName, ResolvedScript> scripts, ImageStore images, EventSink events) {
    if (request.incremental().isEmpty()) {
      return Optional.empty();
    }
    IncrementalSpec spec = request.incremental().get();
    String ref = spec.previousImage().or(request::tag).orElseThrow().withDefaultTag();
    if (!scripts.containsKey(ScriptName.SAVE_ARTIFACTS)) {
      events.detail("Clean build will be performed: no save-artifacts script was found");
      return Optional.empty();
    }
    try {
      ImageInfo info = images.ensure(ref, spec.pullPolicy());
      if (request.runtime().isEmpty()) {
        events.detail("Incremental build: restoring artifacts from " + ref + " (" + info.id() + ")");
        return Optional.of(new PreviousImage(ref, info, java.util.List.of(info.id())));
      }
      Optional<String> artifactsImage = info.label(S2iLabels.ARTIFACTS_IMAGE);
      if (artifactsImage.isEmpty()) {
        events.detail("Clean build will be performed: " + ref + " records no builder image to take artifacts from");
        return Optional.empty();
      }
      Optional<ImageInfo> builderSide = images.inspect(artifactsImage.get());
      if (builderSide.isEmpty()) {
        events.detail("Clean build will be performed: the artifacts image " + artifactsImage.get() + " of " + ref + " is gone");
        return Optional.empty();
      }
      events.detail("Incremental build: restoring artifacts from " + ref + " through " + artifactsImage.get());
      return Optional.of(new PreviousImage(ref, builderSide.get(),
          java.util.List.of(info.id(), builderSide.get().id())));
    } catch (EngineException e) {
      events.detail("Clean build will be performed: the previous image " + ref + " is not available");
      events.debug("Unable to get previously built image \"" + ref + "\": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Removes this image after a successful build ({@code --rm}); a failure is only a warning. */
  public void remove(ImageStore images, String newImageId, EventSink events) {
    for (String id : replaced) {
      if (id.equals(newImageId)) {
        continue;
      }
      try {
        images.remove(id);
        events.detail("Removed previous image " + id + " of " + ref);
      } catch (EngineException e) {
        events.warn("could not remove the previous image " + id + ": " + e.getMessage());
      }
    }
  }
}
