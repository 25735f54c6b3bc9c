package io.s2i.cli.it;

import java.util.Optional;

/** {@link UsageIT}'s scenarios on the daemonless engine. */
class UsageOnOciIT extends UsageIT {
  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }
}
