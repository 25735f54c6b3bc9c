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
 * @param timeouts how long each phase may run
 */
public record RunOptions(
    Optional<String> assembleUser,
    AllowedUids allowedUids,
    Optional<String> network,
    List<String> capDrop,
    List<String> volumes,
    List<String> addHosts,
    List<PathMapping> injections,
    PhaseTimeouts timeouts) {

  /** Options with the default phase timeouts. */
  public RunOptions(Optional<String> assembleUser, AllowedUids allowedUids, Optional<String> network,
      List<String> capDrop, List<String> volumes, List<String> addHosts, List<PathMapping> injections) {
    this(assembleUser, allowedUids, network, capDrop, volumes, addHosts, injections, PhaseTimeouts.defaults());
  }

  public RunOptions {
    timeouts = timeouts == null ? PhaseTimeouts.defaults() : timeouts;
    assembleUser = assembleUser.filter(s -> !s.isBlank());
    network = network.filter(s -> !s.isBlank());
    capDrop = List.copyOf(capDrop);
    volumes = List.copyOf(volumes);
    addHosts = List.copyOf(addHosts);
    injections = List.copyOf(injections);
  }

  /**
   * The text of the record's generated {@code toString}, written out: the generated one bootstraps
   * method handles on its first call (6-10 ms in a fresh JVM), and the inputs digest of every
   * tagged build takes this text, so it must not change either. The timeouts are left out: they
   * change when a build is stopped, never what it makes.
   */
  @Override
  public String toString() {
    return new StringBuilder("RunOptions[assembleUser=").append(assembleUser)
        .append(", allowedUids=").append(allowedUids)
        .append(", network=").append(network)
        .append(", capDrop=").append(capDrop)
        .append(", volumes=").append(volumes)
        .append(", addHosts=").append(addHosts)
        .append(", injections=").append(injections)
        .append(']').toString();
  }

  /** The same options with other phase timeouts. */
  public RunOptions withTimeouts(PhaseTimeouts timeouts) {
    return new RunOptions(assembleUser, allowedUids, network, capDrop, volumes, addHosts, injections, timeouts);
  }

  /** Every default. */
  public static RunOptions defaults() {
    return new RunOptions(
        Optional.empty(), AllowedUids.any(), Optional.empty(), List.of(), List.of(), List.of(), List.of(),
        PhaseTimeouts.defaults());
  }
}
