package io.s2i.api;

import java.util.List;
import java.util.Optional;

/**
 * How build containers run.
 *
 * @param assembleUser user for assemble and save-artifacts containers, when overridden
 * @param allowedUids users the build may run as
 * @param network container network mode, or empty for the engine's default
 * @param capDrop capabilities dropped from every container
 * @param volumes bind specs ({@code host:container[:opts]}) for the assemble container
 * @param addHosts extra {@code host:ip} lines for {@code /etc/hosts}
 * @param injections host directories made visible during assemble and truncated afterwards
 */
public record RunOptions(
    Optional<String> assembleUser,
    AllowedUids allowedUids,
    Optional<String> network,
    List<String> capDrop,
    List<String> volumes,
    List<String> addHosts,
    List<PathMapping> injections) {

  public RunOptions {
    assembleUser = assembleUser.filter(s -> !s.isBlank());
    network = network.filter(s -> !s.isBlank());
    capDrop = List.copyOf(capDrop);
    volumes = List.copyOf(volumes);
    addHosts = List.copyOf(addHosts);
    injections = List.copyOf(injections);
  }

  /** Every default. */
  public static RunOptions defaults() {
    return new RunOptions(
        Optional.empty(), AllowedUids.any(), Optional.empty(), List.of(), List.of(), List.of(), List.of());
  }
}
