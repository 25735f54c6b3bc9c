package io.s2i.cli.it;

import java.util.Optional;

/** {@link GitSourceIT}'s scenarios on the daemonless engine. */
class GitSourceOnOciIT extends GitSourceIT {
  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }
}
