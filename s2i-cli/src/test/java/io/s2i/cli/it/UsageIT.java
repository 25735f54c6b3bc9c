package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code s2i usage} (spec §4.6): the usage script's output, no image or container left. */
class UsageIT extends EngineTestBase {
  @Test
  void printsTheUsageScriptOutputOnStderrAndLeavesNoImage() {
    var r = s2i("usage", fixture("builder"), "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("This is the usage of the s2i-test builder");
    assertThat(r.stdout()).isEmpty();
    // EngineTestBase fails the test if an untagged image (upstream commits one) or a container is left.
  }

  @Test
  void builderWithoutUsageScriptFailsWithExitCode5() {
    var r = s2i("usage", fixture("noscripts"), "-p", "never");
    assertThat(r.exitCode()).isEqualTo(5);
    assertThat(r.stderr()).contains("ERROR: failed to install [usage]");
  }

  @Test
  void missingImageArgumentIsAUsageError() {
    var r = s2i("usage");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("s2i usage needs a builder image");
  }
}
