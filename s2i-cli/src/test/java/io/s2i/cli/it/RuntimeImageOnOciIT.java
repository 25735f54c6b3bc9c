package io.s2i.cli.it;

import java.util.Optional;

/** {@link RuntimeImageIT}'s scenarios on the daemonless engine. */
class RuntimeImageOnOciIT extends RuntimeImageIT {
  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }
}
