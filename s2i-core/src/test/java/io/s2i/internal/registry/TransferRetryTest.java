package io.s2i.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.BuildEvent;
import io.s2i.engine.RegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransferRetryTest {
  final List<BuildEvent> events = new ArrayList<>();
  final TransferRetry retry = new TransferRetry(3, Duration.ZERO);

  @Test
  void transientFailureIsRetriedUntilItSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String digest = retry.run("push", events::add, () -> {
      if (calls.incrementAndGet() < 3) {
        throw new RegistryException("registry 127.0.0.1:1 refused the connection", "start it", true, null);
      }
      return "sha256:abc";
    });
    assertThat(digest).isEqualTo("sha256:abc");
    assertThat(calls).hasValue(3);
    assertThat(events).hasSize(2).allMatch(e -> e instanceof BuildEvent.Log l && l.message().contains("retrying push"));
  }

  @Test
  void refusedCredentialsFailAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry.run("push", events::add, () -> {
      calls.incrementAndGet();
      throw new RegistryException("unauthorized", "log in", false, null);
    })).hasMessage("unauthorized");
    assertThat(calls).hasValue(1);
  }

  @Test
  void givesUpAfterTheLastAttempt() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry.run("push", events::add, () -> {
      calls.incrementAndGet();
      throw new RegistryException("down", "start it", true, null);
    })).isInstanceOf(RegistryException.class)
        .hasMessage("down (gave up after 3 attempts)")
        .satisfies(e -> assertThat(((RegistryException) e).suggestion()).contains("start it"));
    assertThat(calls).hasValue(3);
    assertThat(events).hasSize(2);
  }
}
