package io.s2i.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvVarTest {

  @Test
  void splitsAtFirstEquals() {
    EnvVar v = EnvVar.parse("X=a,b=c");
    assertThat(v.name()).isEqualTo("X");
    assertThat(v.value()).isEqualTo("a,b=c");
    assertThat(v.toEntry()).isEqualTo("X=a,b=c");
  }

  @Test
  void trimsNameAndValue() {
    EnvVar v = EnvVar.parse("  BAR = spaced  ");
    assertThat(v).isEqualTo(new EnvVar("BAR", "spaced"));
  }

  @Test
  void emptyValueIsAllowed() {
    assertThat(EnvVar.parse("EMPTY=")).isEqualTo(new EnvVar("EMPTY", ""));
    assertThat(EnvVar.parse("A==")).isEqualTo(new EnvVar("A", "="));
  }

  @ParameterizedTest
  @ValueSource(strings = {"=value", "NOEQUALS", "", "  =x"})
  void missingNameIsRejectedWithUpstreamMessage(String text) {
    assertThatThrownBy(() -> EnvVar.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid environment format \"" + text + "\", must be NAME=VALUE");
  }

  @Test
  void constructorRejectsBlankNameAndDefaultsNullValue() {
    assertThatThrownBy(() -> new EnvVar(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(new EnvVar("A", null).value()).isEmpty();
  }
}
