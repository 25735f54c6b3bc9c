package io.s2i.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathMappingTest {

  @Test
  void emptyDestinationBecomesDot() {
    assertThat(PathMapping.parseList("/test:")).containsExactly(new PathMapping("/test", "."));
  }

  @Test
  void emptySourceBecomesDot() {
    assertThat(PathMapping.parseList(":/foo")).containsExactly(new PathMapping(".", "/foo"));
  }

  @Test
  void quotesAreTrimmedFromBothHalves() {
    assertThat(PathMapping.parseList("\"/test\":\"/foo\""))
        .containsExactly(new PathMapping("/test", "/foo"));
    assertThat(PathMapping.parseList("'/a':'/b'")).containsExactly(new PathMapping("/a", "/b"));
  }

  @Test
  void semicolonSeparatesSpecsAndNoColonMeansNoDestination() {
    assertThat(PathMapping.parseList("/a:/b;c"))
        .containsExactly(new PathMapping("/a", "/b"), new PathMapping("c", "."));
  }

  @Test
  void splitsAtLastColon() {
    assertThat(PathMapping.parseList("a:b:/c")).containsExactly(new PathMapping("a:b", "/c"));
  }

  @Test
  void bothHalvesArePathCleaned() {
    assertThat(PathMapping.parseList("./x//y/../z/:/opt//app/./dir/"))
        .containsExactly(new PathMapping("x/z", "/opt/app/dir"));
    assertThat(PathMapping.parseList("/../a:../b")).containsExactly(new PathMapping("/a", "../b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a*:/b", "/a:/b?", "x:$HOME", "a{b}:c", "a:b,c", "a'b:/c", "a!:/b"})
  void forbiddenCharactersAreRejected(String value) {
    assertThatThrownBy(() -> PathMapping.parseList(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid characters in filename: \"" + value + "\"");
  }

  @Test
  void cleanHandlesEdgeCases() {
    assertThat(PathMapping.clean("")).isEqualTo(".");
    assertThat(PathMapping.clean("/")).isEqualTo("/");
    assertThat(PathMapping.clean("a/..")).isEqualTo(".");
    assertThat(PathMapping.clean("../../x")).isEqualTo("../../x");
  }
}
