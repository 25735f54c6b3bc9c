package io.s2i.cli.it;

import java.util.Optional;

/** {@link RebuildIT}'s scenarios on the daemonless engine. */
class RebuildOnOciIT extends RebuildIT {
  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }
}
