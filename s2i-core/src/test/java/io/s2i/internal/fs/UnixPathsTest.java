package io.s2i.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnixPathsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/tmp/scripts/|assemble|/tmp/scripts/assemble",
      "/tmp|scripts|/tmp/scripts",
      "/usr/libexec//s2i/.|run|/usr/libexec/s2i/run",
      "/|run|/run",
      "/|..|/",
      "/a/b|../c|/a/c",
      "/a|../../x|/x",
      "scripts|run|scripts/run",
      "a|../..|..",
      "a/b|../../../c|../c",
      "../x|y|../x/y",
      ".|.|.",
      "a|..|.",
  })
  void joinsAndCleansLikeGoPathJoin(String first, String second, String expected) {
    assertThat(UnixPaths.join(first, second)).isEqualTo(expected);
  }

  @Test
  void emptyElementsAreIgnored() {
    assertThat(UnixPaths.join("/opt/app-root/src", "")).isEqualTo("/opt/app-root/src");
    assertThat(UnixPaths.join("", "x")).isEqualTo("x");
    assertThat(UnixPaths.join("", "")).isEqualTo(".");
    assertThat(UnixPaths.join("")).isEqualTo(".");
    assertThat(UnixPaths.join("a", "", "b")).isEqualTo("a/b");
  }

  @Test
  void singleArgumentIsCleaned() {
    assertThat(UnixPaths.join("/a/./b/")).isEqualTo("/a/b");
    assertThat(UnixPaths.join("//a")).isEqualTo("/a");
  }

  @Test
  void severalElements() {
    assertThat(UnixPaths.join("/tmp", "scripts", "run")).isEqualTo("/tmp/scripts/run");
    assertThat(UnixPaths.join("/", "a/", "/b")).isEqualTo("/a/b");
  }
}
