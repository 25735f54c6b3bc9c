package io.s2i.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowedUidsTest {

  @Test
  void openUpperBound() {
    AllowedUids uids = AllowedUids.parse("1-");
    assertThat(uids.allows("1")).isTrue();
    assertThat(uids.allows("1001")).isTrue();
    assertThat(uids.allows("0")).isFalse();
    assertThat(uids).hasToString("1-");
  }

  @Test
  void openLowerBound() {
    AllowedUids uids = AllowedUids.parse("-100");
    assertThat(uids.allows("0")).isTrue();
    assertThat(uids.allows("100")).isTrue();
    assertThat(uids.allows("101")).isFalse();
    assertThat(uids).hasToString("-100");
  }

  @Test
  void closedRange() {
    AllowedUids uids = AllowedUids.parse("1000-2000");
    assertThat(uids.allows("999")).isFalse();
    assertThat(uids.allows("1000")).isTrue();
    assertThat(uids.allows("1234")).isTrue();
    assertThat(uids.allows("2000")).isTrue();
    assertThat(uids.allows("2001")).isFalse();
  }

  @Test
  void singleValue() {
    AllowedUids uids = AllowedUids.parse("5");
    assertThat(uids.allows("5")).isTrue();
    assertThat(uids.allows("4")).isFalse();
    assertThat(uids.allows("6")).isFalse();
    assertThat(uids).hasToString("5");
  }

  @Test
  void severalRanges() {
    AllowedUids uids = AllowedUids.parse("5, 10-20,100-");
    assertThat(uids.ranges()).hasSize(3);
    assertThat(uids.allows("5")).isTrue();
    assertThat(uids.allows("15")).isTrue();
    assertThat(uids.allows("50")).isFalse();
    assertThat(uids.allows("500")).isTrue();
    assertThat(uids).hasToString("5,10-20,100-");
  }

  @Test
  void emptyTextMeansNoRestriction() {
    AllowedUids uids = AllowedUids.parse("");
    assertThat(uids.isEmpty()).isTrue();
    assertThat(uids.allows("root")).isTrue();
    assertThat(uids.allows("0")).isTrue();
    assertThat(uids.allows(null)).isTrue();
    assertThat(AllowedUids.any().allows("default")).isTrue();
  }

  @Test
  void namedAndEmptyUsersNeverMatchANonEmptyList() {
    AllowedUids uids = AllowedUids.parse("0-");
    assertThat(uids.allows("root")).isFalse();
    assertThat(uids.allows("default")).isFalse();
    assertThat(uids.allows("")).isFalse();
    assertThat(uids.allows(null)).isFalse();
  }

  @Test
  void groupPartIsIgnored() {
    AllowedUids uids = AllowedUids.parse("1-");
    assertThat(uids.allows("1001:0")).isTrue();
    assertThat(uids.allows("0:1001")).isFalse();
    assertThat(uids.allows("root:0")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "5-3", "-", "1-2-3", "1,,2", "x-", "--5", "1.5"})
  void badSyntaxIsRejected(String text) {
    assertThatThrownBy(() -> AllowedUids.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid uid range");
  }
}
