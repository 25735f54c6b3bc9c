package io.s2i.internal.build;

import io.s2i.api.BuildRequest;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.PathMapping;
import io.s2i.api.RuntimeImageSpec;
import io.s2i.api.RebuildRequest;
import io.s2i.api.S2iException;
import io.s2i.api.ScriptsSpec;
import io.s2i.api.SourceSpec;
import io.s2i.engine.ImageInfo;
import io.s2i.internal.contract.BuildProvenance;
import java.util.List;
import java.util.Optional;

/** Turns a rebuild request and the labels of the image it names into the build request it means. */
public final class RebuildRequests {
  private RebuildRequests() {}

  /**
   * The build of {@code request.image()} again: its recorded builder, source (at the recorded
   * commit), context dir, scripts location, display name and description, into the new tag or
   * the image's own name. An image made by an extended build is rebuilt extended, with the
   * runtime image, artifacts and assemble-runtime user it records, its runtime image pulled under
   * {@code request.runtimePull()}.
   */
  public static BuildRequest derive(RebuildRequest request, ImageInfo image, EventSink events)
      throws S2iException {
    BuildProvenance from = BuildProvenance.fromLabels(request.image().toString(), image.labels());
    ImageRef builder;
    try {
      builder = ImageRef.parse(from.builderImage());
    } catch (IllegalArgumentException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "the builder recorded in " + request.image()
          + " is not an image name: " + e.getMessage(), "build the image again with s2i build", e);
    }
    Optional<String> ref = from.commitId().or(from::commitRef).filter(r -> !r.equals("HEAD"));
    SourceSpec source = new SourceSpec(from.sourceLocation(), ref, from.contextDir(), false, false,
        SourceSpec.DEFAULT_EXCLUDE, false);
    events.detail("Rebuilding " + request.image() + " from " + from.sourceLocation()
        + ref.map(r -> " at " + r).orElse("") + " with " + builder);
    BuildRequest.Builder build = BuildRequest.builder(source, builder)
        .builderPull(request.pull())
        .tag(request.newTag().orElse(request.image()))
        .scripts(new ScriptsSpec(from.scriptsUrl(), Optional.empty(), request.destination()))
        .keepWorkspace(request.keepWorkspace());
    from.displayName().ifPresent(build::displayName);
    from.description().ifPresent(build::description);
    request.incremental().ifPresent(build::incremental);
    if (from.runtimeImage().isPresent()) {
      try {
        build.runtime(new RuntimeImageSpec(ImageRef.parseSource(from.runtimeImage().get()), request.runtimePull(),
            from.runtimeArtifacts().map(PathMapping::parseList).orElse(List.of()), from.assembleRuntimeUser()));
      } catch (IllegalArgumentException e) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "the runtime image recorded in " + request.image()
            + " cannot be read: " + e.getMessage(), "build the image again with s2i build", e);
      }
      events.detail("Rebuilding " + request.image() + " extended with the runtime image " + from.runtimeImage().get());
    }
    request.callbackUrl().ifPresent(build::callbackUrl);
    return build.build();
  }
}
