package io.s2i.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Engine-neutral metadata of an image, as inspected.
 *
 * @param id the image id ({@code sha256:...})
 * @param labels its labels
 * @param env its environment as {@code NAME=VALUE} entries
 * @param user its {@code USER}, empty for the default (root)
 * @param workingDir its {@code WORKDIR}, empty when unset
 * @param entrypoint its entrypoint, empty when none
 * @param cmd its command, empty when none
 * @param onBuild its ONBUILD triggers
 * @param size its size in bytes
 * @param layers the diff ids of its layers, base first (empty when the engine does not say)
 */
public record ImageInfo(
    String id,
    Map<String, String> labels,
    List<String> env,
    String user,
    String workingDir,
    List<String> entrypoint,
    List<String> cmd,
    List<String> onBuild,
    long size,
    List<String> layers) {

  /** Metadata without the layer list. */
  public ImageInfo(String id, Map<String, String> labels, List<String> env, String user,
      String workingDir, List<String> entrypoint, List<String> cmd, List<String> onBuild, long size) {
    this(id, labels, env, user, workingDir, entrypoint, cmd, onBuild, size, List.of());
  }

  public ImageInfo {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    env = env == null ? List.of() : List.copyOf(env);
    user = user == null ? "" : user;
    workingDir = workingDir == null ? "" : workingDir;
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
    cmd = cmd == null ? List.of() : List.copyOf(cmd);
    onBuild = onBuild == null ? List.of() : List.copyOf(onBuild);
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /** A label's value, when present and not empty. */
  public Optional<String> label(String key) {
    return Optional.ofNullable(labels.get(key)).filter(v -> !v.isEmpty());
  }

  /** The value of an environment variable of the image, when present and not empty. */
  public Optional<String> envValue(String name) {
    String prefix = name + "=";
    return env.stream()
        .filter(e -> e.startsWith(prefix))
        .reduce((a, b) -> b)
        .map(e -> e.substring(prefix.length()))
        .filter(v -> !v.isEmpty());
  }
}
