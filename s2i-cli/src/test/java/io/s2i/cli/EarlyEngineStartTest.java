package io.s2i.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyEngineStartTest {
  @Test
  void engineCommandsAfterGlobalOptionsNeedTheEngine() {
    assertThat(EarlyEngineStart.needsEngine(List.of("build", "src", "img", "tag"))).isTrue();
    assertThat(EarlyEngineStart.needsEngine(List.of("--loglevel", "3", "-U", "unix:///x", "build", "src", "img"))).isTrue();
    assertThat(EarlyEngineStart.needsEngine(List.of("--loglevel=3", "rebuild", "tag"))).isTrue();
    assertThat(EarlyEngineStart.needsEngine(List.of("usage", "img"))).isTrue();
  }

  @Test
  void otherCommandsHelpAndDockerfileOutputDoNot() {
    assertThat(EarlyEngineStart.needsEngine(List.of("version"))).isFalse();
    assertThat(EarlyEngineStart.needsEngine(List.of())).isFalse();
    assertThat(EarlyEngineStart.needsEngine(List.of("create", "img", "dir"))).isFalse();
    // "build" here is the value of --engine, not the command
    assertThat(EarlyEngineStart.needsEngine(List.of("--engine", "build", "version"))).isFalse();
    assertThat(EarlyEngineStart.needsEngine(List.of("build", "--help"))).isFalse();
    assertThat(EarlyEngineStart.needsEngine(List.of("build", "src", "img", "--as-dockerfile", "/tmp/d"))).isFalse();
    assertThat(EarlyEngineStart.needsEngine(List.of("build", "src", "img", "--as-dockerfile=/tmp/d"))).isFalse();
  }

  @Test
  void optionValuesInEverySpelling() {
    assertThat(EarlyEngineStart.value(new String[] {"build", "-U", "unix:///a"}, "-U", "--url")).isEqualTo("unix:///a");
    assertThat(EarlyEngineStart.value(new String[] {"--url=unix:///b", "build"}, "-U", "--url")).isEqualTo("unix:///b");
    assertThat(EarlyEngineStart.value(new String[] {"-Uunix:///c", "build"}, "-U", "--url")).isEqualTo("unix:///c");
    assertThat(EarlyEngineStart.value(new String[] {"build", "--engine", "oci"}, null, "--engine")).isEqualTo("oci");
    assertThat(EarlyEngineStart.value(new String[] {"build", "src"}, null, "--engine")).isNull();
  }
}
