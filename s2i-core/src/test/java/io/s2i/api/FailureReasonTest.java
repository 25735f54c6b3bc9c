package io.s2i.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FailureReasonTest {
  @Test
  void everyReasonHasAnExitCodeOfItsOwn() {
    assertThat(Arrays.stream(FailureReason.values()).map(FailureReason::exitCode)).doesNotHaveDuplicates()
        .doesNotContain(0).allMatch(code -> code > 0 && code < 256);
  }

  @Test
  void theDocumentedCodesKeepTheirNumbers() {
    assertThat(FailureReason.DETECTION_FAILED.exitCode()).isEqualTo(11);
    assertThat(FailureReason.ENGINE_FAILED.exitCode()).isEqualTo(12);
    assertThat(FailureReason.ENGINE_UNAVAILABLE.exitCode()).isEqualTo(7);
    assertThat(FailureReason.GENERIC.exitCode()).isEqualTo(1);
  }
}
