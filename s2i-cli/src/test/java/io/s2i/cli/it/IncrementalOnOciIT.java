package io.s2i.cli.it;

import java.util.Optional;

/** {@link IncrementalIT}'s scenarios on the daemonless engine. */
class IncrementalOnOciIT extends IncrementalIT {
  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }
}
