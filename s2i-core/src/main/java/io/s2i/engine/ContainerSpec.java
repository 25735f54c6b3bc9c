package io.s2i.engine;

import java.util.List;
import java.util.Optional;

/**
 * What to run. Engine-neutral: no builder-image contract knowledge lives here.
 *
 * @param image image reference or id
 * @param namePrefix prefix of the container name; the engine appends a random suffix
 * @param user user to run as; empty for the image's
 * @param env environment entries added to the image's
 * @param entrypoint entrypoint override; empty keeps the image's
 * @param cmd command
 * @param workingDir working directory override, or empty
 * @param openStdin whether the container reads a stream on stdin
 * @param network network mode, or empty for the default
 * @param capDrop capabilities to drop
 * @param binds bind mounts in {@code host:container[:opts]} form
 * @param extraHosts {@code host:ip} entries
 * @param hostname the container's host name (also its {@code HOSTNAME}); empty lets the engine
 *     choose one, such as the container's id
 */
public record ContainerSpec(
    String image,
    String namePrefix,
    String user,
    List<String> env,
    List<String> entrypoint,
    List<String> cmd,
    Optional<String> workingDir,
    boolean openStdin,
    Optional<String> network,
    List<String> capDrop,
    List<String> binds,
    List<String> extraHosts,
    Optional<String> hostname) {

  public ContainerSpec {
    hostname = hostname == null ? Optional.empty() : hostname.filter(h -> !h.isBlank());
    user = user == null ? "" : user;
    env = List.copyOf(env);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    capDrop = List.copyOf(capDrop);
    binds = List.copyOf(binds);
    extraHosts = List.copyOf(extraHosts);
  }

  /** A spec whose host name the engine chooses. */
  public ContainerSpec(String image, String namePrefix, String user, List<String> env, List<String> entrypoint,
      List<String> cmd, Optional<String> workingDir, boolean openStdin, Optional<String> network,
      List<String> capDrop, List<String> binds, List<String> extraHosts) {
    this(image, namePrefix, user, env, entrypoint, cmd, workingDir, openStdin, network, capDrop, binds, extraHosts,
        Optional.empty());
  }

  /** This spec with {@code hostname} as the container's host name. */
  public ContainerSpec withHostname(String hostname) {
    return new ContainerSpec(image, namePrefix, user, env, entrypoint, cmd, workingDir, openStdin, network, capDrop,
        binds, extraHosts, Optional.ofNullable(hostname));
  }
}
