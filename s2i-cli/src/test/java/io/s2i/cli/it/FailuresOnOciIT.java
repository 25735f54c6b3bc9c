package io.s2i.cli.it;

import java.util.Optional;

/** {@link FailuresIT}'s scenarios on the daemonless engine. */
class FailuresOnOciIT extends FailuresIT {
  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }
}
