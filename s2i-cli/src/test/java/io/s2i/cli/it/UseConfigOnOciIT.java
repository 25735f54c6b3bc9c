package io.s2i.cli.it;

import java.util.Optional;

/** {@link UseConfigIT}'s scenarios on the daemonless engine. */
class UseConfigOnOciIT extends UseConfigIT {
  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }
}
