package io.s2i.cli.it;

import java.util.Optional;

/** {@link ReproducibleIT}'s scenarios on the daemonless engine. */
class ReproducibleOnOciIT extends ReproducibleIT {
  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }
}
