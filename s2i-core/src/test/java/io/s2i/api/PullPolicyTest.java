package io.s2i.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PullPolicyTest {

  @Test
  void parsesTheThreeUpstreamSpellings() {
    assertThat(PullPolicy.parse("always")).isEqualTo(PullPolicy.ALWAYS);
    assertThat(PullPolicy.parse("never")).isEqualTo(PullPolicy.NEVER);
    assertThat(PullPolicy.parse("if-not-present")).isEqualTo(PullPolicy.IF_NOT_PRESENT);
  }

  @Test
  void flagValueRoundTrips() {
    for (PullPolicy p : PullPolicy.values()) {
      assertThat(PullPolicy.parse(p.flagValue())).isEqualTo(p);
      assertThat(p).hasToString(p.flagValue());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sometimes", "if_not_present", "IfNotPresent", "pull"})
  void otherValuesAreRejected(String value) {
    assertThatThrownBy(() -> PullPolicy.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("always, never or if-not-present");
  }
}
