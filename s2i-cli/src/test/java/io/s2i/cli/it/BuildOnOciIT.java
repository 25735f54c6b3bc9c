package io.s2i.cli.it;

import java.util.Optional;

/** {@link BuildIT}'s scenarios on the daemonless engine. */
class BuildOnOciIT extends BuildIT {
  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }
}
