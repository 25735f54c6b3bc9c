package io.s2i.service;

import java.util.Optional;

/** The trigger scenarios on the embedded database. */
class H2TriggersTest extends TriggerScenarios {
  @Override
  Optional<String> database() {
    return Optional.empty();
  }
}
