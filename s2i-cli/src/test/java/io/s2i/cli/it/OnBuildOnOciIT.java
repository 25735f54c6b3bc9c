package io.s2i.cli.it;

import java.util.Optional;

/** {@link OnBuildIT}'s scenarios on the daemonless engine. */
class OnBuildOnOciIT extends OnBuildIT {
  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }
}
