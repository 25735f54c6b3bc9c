package io.s2i.cli.it;

import java.util.Optional;

/** {@link LayeredIT}'s scenarios on the daemonless engine. */
class LayeredOnOciIT extends LayeredIT {
  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }
}
