package io.s2i.internal.build;

import io.s2i.api.FailureReason;
import io.s2i.api.RunOptions;
import io.s2i.api.S2iException;
import io.s2i.api.VolumeSpecs;
import io.s2i.engine.ContainerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checks of a request that need this machine or the engine, made before anything is pulled
 * or run, so that a mistake fails in a second with its own exit code rather than after assemble.
 * (The rules within the request are {@code BuildRequest.Builder.build()}'s.)
 */
public final class RequestPreflight {
  private RequestPreflight() {}

  /** Checks the volumes' host paths and asks the engine about the network and volumes. */
  public static void check(RunOptions run, ContainerEngine engine) throws S2iException {
    checkHostPaths(run);
    engine.containers().checkRunOptions(run);
  }

  /** Checks what needs only this machine: the volumes' host paths. */
  public static void checkHostPaths(RunOptions run) throws S2iException {
    for (String volume : run.volumes()) {
      Optional<String> host = VolumeSpecs.hostPath(volume);
      if (host.isPresent() && !Files.exists(Path.of(host.get()))) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "run.volumes entry \"" + volume
            + "\": the host path " + host.get() + " does not exist",
            "create it first, or fix the path: unlike docker run -v, s2i never makes a host directory");
      }
    }
  }
}
