package io.s2i.internal.contract;

import io.s2i.api.SourceInfo;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The labels written on an output image, merged in upstream's order: base image labels, then
 * generated labels, then labels from the request, then labels a script asked for in
 * {@code image_metadata.json}. Later wins.
 */
public final class OutputLabels {
  private static final int MESSAGE_COLUMNS = 80;

  private OutputLabels() {}

  /**
   * The generated labels alone (upstream's {@code GenerateOutputImageLabels}); a {@code build.*}
   * label is left out when its value is empty.
   */
  public static Map<String, String> generated(
      String builderImage,
      SourceInfo source,
      Optional<String> tag,
      Optional<String> displayName,
      Optional<String> description) {
    Map<String, String> labels = new LinkedHashMap<>();
    description.ifPresent(d -> labels.put(S2iLabels.DESCRIPTION, d));
    displayName.or(() -> tag).ifPresent(n -> labels.put(S2iLabels.DISPLAY_NAME, n));
    put(labels, S2iLabels.BUILD_IMAGE, builderImage);
    source.commit().ifPresent(c -> {
      put(labels, S2iLabels.BUILD_COMMIT_AUTHOR, c.author());
      put(labels, S2iLabels.BUILD_COMMIT_DATE, c.date());
      put(labels, S2iLabels.BUILD_COMMIT_ID, c.id());
      put(labels, S2iLabels.BUILD_COMMIT_REF, c.ref());
      put(labels, S2iLabels.BUILD_COMMIT_MESSAGE, commitSubject(c.message()));
    });
    put(labels, S2iLabels.BUILD_SOURCE_LOCATION, source.location());
    source.contextDir().ifPresent(d -> put(labels, S2iLabels.BUILD_SOURCE_CONTEXT_DIR, d));
    return labels;
  }

  /**
   * The OCI annotations s2i adds beside upstream's labels: {@code .source} (only when the source is
   * a URL, not a local directory), {@code .revision} (the commit id) and {@code .created} (whole
   * seconds, RFC 3339; the source date epoch for reproducible builds).
   */
  public static Map<String, String> oci(SourceInfo source, java.time.Instant created) {
    Map<String, String> labels = new LinkedHashMap<>();
    String location = source.location();
    if (location != null && (location.contains("://") || location.matches("[\\w.-]+@[\\w.-]+:.*"))) {
      labels.put(S2iLabels.OCI_SOURCE, location);
    }
    source.commit().map(SourceInfo.Commit::id).filter(id -> !id.isEmpty())
        .ifPresent(id -> labels.put(S2iLabels.OCI_REVISION, id));
    labels.put(S2iLabels.OCI_CREATED, java.time.Instant.ofEpochSecond(created.getEpochSecond()).toString());
    return labels;
  }

  /** The source and commit recorded in an output image's generated labels, if any. */
  public static Optional<SourceInfo> sourceInfo(Map<String, String> labels) {
    String location = labels.get(S2iLabels.NAMESPACE + S2iLabels.BUILD_SOURCE_LOCATION);
    if (location == null) {
      return Optional.empty();
    }
    String id = labels.get(S2iLabels.NAMESPACE + S2iLabels.BUILD_COMMIT_ID);
    Optional<SourceInfo.Commit> commit = Optional.ofNullable(id).map(i -> new SourceInfo.Commit(i,
        labels.getOrDefault(S2iLabels.NAMESPACE + S2iLabels.BUILD_COMMIT_REF, ""),
        labels.getOrDefault(S2iLabels.NAMESPACE + S2iLabels.BUILD_COMMIT_AUTHOR, ""),
        labels.getOrDefault(S2iLabels.NAMESPACE + S2iLabels.BUILD_COMMIT_DATE, ""),
        labels.getOrDefault(S2iLabels.NAMESPACE + S2iLabels.BUILD_COMMIT_MESSAGE, "")));
    return Optional.of(new SourceInfo(location,
        Optional.ofNullable(labels.get(S2iLabels.NAMESPACE + S2iLabels.BUILD_SOURCE_CONTEXT_DIR)), commit));
  }

  /**
   * Merges the four label sources in upstream's order. The record of an extended build
   * ({@link S2iLabels#RUNTIME_IMAGE} and its kin) is the build's own, never inherited from the
   * base image: {@code s2i rebuild} would otherwise build an output of an s2i-made builder extended.
   */
  public static Map<String, String> merge(
      Map<String, String> baseImage,
      Map<String, String> generated,
      Map<String, String> requested,
      Map<String, String> fromMetadata) {
    Map<String, String> merged = new LinkedHashMap<>(baseImage);
    merged.keySet().removeAll(java.util.List.of(S2iLabels.RUNTIME_IMAGE, S2iLabels.RUNTIME_ARTIFACTS,
        S2iLabels.RUNTIME_USER));
    merged.putAll(generated);
    merged.putAll(requested);
    merged.putAll(fromMetadata);
    return merged;
  }

  /** The size upstream limits: bytes of every key and value. */
  public static int size(Map<String, String> labels) {
    int total = 0;
    for (var e : labels.entrySet()) {
      total += e.getKey().getBytes(StandardCharsets.UTF_8).length
          + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    return total;
  }

  /** A subject longer than 80 columns is cut to 78 characters and {@code ..}, as upstream. */
  static String commitSubject(String message) {
    String subject = message.lines().findFirst().orElse("");
    if (subject.length() > MESSAGE_COLUMNS) {
      return subject.substring(0, MESSAGE_COLUMNS - 2) + "..";
    }
    return subject;
  }

  private static void put(Map<String, String> labels, String suffix, String value) {
    if (value != null && !value.isEmpty()) {
      labels.put(S2iLabels.NAMESPACE + suffix, value);
    }
  }
}
