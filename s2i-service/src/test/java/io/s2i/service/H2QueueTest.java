package io.s2i.service;

import java.util.Optional;

/** The queue scenarios on the embedded database. */
class H2QueueTest extends QueueScenarios {
  @Override
  Optional<String> database() {
    return Optional.empty();
  }
}
