package io.s2i.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration written on a committed image. Fields not named here (working dir, exposed
 * ports, volumes, the rest of the environment) are inherited from the container.
 *
 * @param repository name (with tag) to give the image, or empty for an untagged image
 * @param cmd the image command
 * @param entrypoint the image entrypoint; an empty list means none
 * @param user the image user
 * @param env environment entries; the container's others are kept after them
 * @param labels the complete label set of the new image
 */
public record CommitSpec(
    Optional<String> repository,
    List<String> cmd,
    List<String> entrypoint,
    String user,
    List<String> env,
    Map<String, String> labels) {

  public CommitSpec {
    cmd = List.copyOf(cmd);
    entrypoint = List.copyOf(entrypoint);
    env = List.copyOf(env);
    labels = Map.copyOf(labels);
  }
}
