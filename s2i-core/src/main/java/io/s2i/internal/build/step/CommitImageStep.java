package io.s2i.internal.build.step;

import io.s2i.api.BuildRequest;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.internal.build.AssemblePlan;
import io.s2i.internal.contract.ContractPaths;
import io.s2i.internal.contract.ImageMetadata;
import io.s2i.internal.contract.OutputLabels;
import io.s2i.internal.contract.S2iLabels;
import io.s2i.internal.contract.ScriptName;
import io.s2i.engine.CommitSpec;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.EngineException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Commits the assemble container as the output image: {@code Cmd} is the run script, the
 * entrypoint and user are the builder's (never the assemble user), the environment is the build
 * environment, and the labels are merged in upstream's order.
 */
public final class CommitImageStep {
  private final EventSink events;
  private final Optional<io.s2i.internal.build.TagReplacement> tagReplacement;

  public CommitImageStep(EventSink events) {
    this(events, Optional.empty());
  }

  /** A step whose commit takes the tag through {@code tagReplacement} (concurrent builds to one tag). */
  public CommitImageStep(EventSink events, Optional<io.s2i.internal.build.TagReplacement> tagReplacement) {
    this.events = events;
    this.tagReplacement = tagReplacement;
  }

  /** The committed image's id and labels. */
  public record Committed(String imageId, Map<String, String> labels) {}

  /** Commits the assemble container of an ordinary build. */
  public Committed run(BuildRequest request, AssemblePlan plan, ContainerHandle container)
      throws S2iException {
    return run(request, plan, container, plan.builder().image(), plan.scriptPath(ScriptName.RUN), Map.of());
  }

  /**
   * Commits {@code container}, whose image was {@code base} (the builder, or the runtime image of
   * an extended build), with {@code runCommand} as its command.
   */
  public Committed run(BuildRequest request, AssemblePlan plan, ContainerHandle container,
      io.s2i.engine.ImageInfo base, String runCommand, Map<String, String> extraLabels) throws S2iException {
    Map<String, String> generated = OutputLabels.generated(
        request.builderImage().normalized(),
        plan.source().info(),
        request.tag().map(Object::toString),
        request.displayName(),
        request.description());
    Map<String, String> requested = new java.util.LinkedHashMap<>(extraLabels);
    requested.putAll(request.labels());
    generated.putAll(OutputLabels.oci(plan.source().info(),
        request.sourceDateEpoch().orElseGet(java.time.Instant::now)));
    Map<String, String> labels = OutputLabels.merge(
        base.labels(), generated, requested, metadataLabels(container));
    int size = OutputLabels.size(labels);
    if (size > S2iLabels.MAX_LABEL_BYTES) {
      throw new S2iException(FailureReason.COMMIT_FAILED,
          "label validation failed: label size '" + size + "' exceeds the maximum limit '"
              + S2iLabels.MAX_LABEL_BYTES + "'",
          "write fewer or shorter labels in image_metadata.json");
    }
    CommitSpec spec = new CommitSpec(
        request.tag().map(Object::toString),
        java.util.List.of(runCommand),
        base.entrypoint(),
        base.user(),
        plan.imageEnvEntries(base),
        labels);
    String id;
    try {
      id = tagReplacement.isPresent()
          ? tagReplacement.get().commit(() -> container.commit(spec), committed -> committed, events)
          : container.commit(spec);
    } catch (EngineException e) {
      throw new S2iException(FailureReason.COMMIT_FAILED,
          "committing the image failed: " + e.getMessage(),
          "check the engine's free disk space and logs", e);
    }
    events.detail("Committed image " + id + request.tag().map(t -> " as " + t).orElse(""));
    return new Committed(id, labels);
  }

  /**
   * Commits the builder container as an untagged image that keeps the build's state, so that an
   * incremental extended build can later run save-artifacts in it.
   */
  public String commitBuilderState(AssemblePlan plan, ContainerHandle container) throws S2iException {
    try {
      return container.commit(new CommitSpec(Optional.empty(),
          java.util.List.of(plan.scriptPath(ScriptName.RUN)), plan.builder().image().entrypoint(),
          plan.builder().user(), plan.imageEnvEntries(plan.builder().image()), plan.builder().image().labels()));
    } catch (EngineException e) {
      throw new S2iException(FailureReason.COMMIT_FAILED,
          "committing the builder state for the next incremental build failed: " + e.getMessage(),
          "check the engine's free disk space and logs", e);
    }
  }

  private Map<String, String> metadataLabels(ContainerHandle container) throws S2iException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    if (!container.copyOut(ContractPaths.IMAGE_METADATA_FILE, tar)) {
      return Map.of();
    }
    Optional<byte[]> json;
    try {
      json = firstFile(tar.toByteArray());
    } catch (IOException e) {
      throw metadataError(e);
    }
    if (json.isEmpty()) {
      return Map.of();
    }
    try {
      Map<String, String> labels = ImageMetadata.labels(json.get());
      events.debug("Labels from " + ContractPaths.IMAGE_METADATA_FILE + ": " + labels.keySet());
      return labels;
    } catch (IOException e) {
      throw metadataError(e);
    }
  }

  private static S2iException metadataError(IOException e) {
    return new S2iException(FailureReason.ASSEMBLE_FAILED,
        "could not read new labels from " + ContractPaths.IMAGE_METADATA_FILE + ": " + e.getMessage(),
        "make the assemble script write {\"labels\":[{\"key\":\"value\"}]}", e);
  }

  private static Optional<byte[]> firstFile(byte[] tar) throws IOException {
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (e.isFile()) {
          return Optional.of(in.readAllBytes());
        }
      }
    }
    return Optional.empty();
  }
}
