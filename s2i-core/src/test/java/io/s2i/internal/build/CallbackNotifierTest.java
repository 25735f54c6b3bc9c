package io.s2i.internal.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallbackNotifierTest {
  @Test
  void anUnreachableCallbackIsReportedWithTheReason() {
    List<String> warnings = new ArrayList<>();
    new CallbackNotifier(e -> {
      if (e instanceof BuildEvent.Log l && l.level() == BuildEvent.Level.WARN) {
        warnings.add(l.message());
      }
    }).notify(URI.create("http://127.0.0.1:1/callback"), true, Optional.empty());
    assertThat(warnings).hasSize(3).allSatisfy(w -> assertThat(w)
        .startsWith("Unable to invoke callback http://127.0.0.1:1/callback (attempt ")
        .contains("the connection was refused")
        .doesNotContain("null"));
  }
}
