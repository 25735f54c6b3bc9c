package io.s2i.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.FailureReason;
import io.s2i.engine.EngineException;
import io.s2i.engine.EngineUnavailableException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ExitCodesTest {
  private final ExitCodes codes = new ExitCodes();

  @Test
  void anEngineFailureWithoutAMoreSpecificReasonHasItsOwnCode() {
    EngineException failed = new EngineException("cannot start container abc: oops", null);
    assertThat(failed.reason()).isEqualTo(FailureReason.ENGINE_FAILED);
    assertThat(codes.getExitCode(failed)).isEqualTo(12);
    assertThat(codes.getExitCode(new EngineUnavailableException("gone", null, null))).isEqualTo(7);
  }

  @Test
  void aReasonWrappedInAnUncheckedExceptionStillDecidesTheCodeAndTheMessage() {
    EngineException failed = new EngineException(FailureReason.COMMIT_FAILED, "cannot commit", "free space", null);
    RuntimeException wrapped = new CompletionException(new UncheckedIOException("io",
        new java.io.IOException("io", failed)));
    assertThat(codes.getExitCode(wrapped)).isEqualTo(10);
    assertThat(ErrorReporter.format(wrapped)).isEqualTo("ERROR: cannot commit. Fix: free space");
  }

  @Test
  void theReadmeAndTheLibraryGuideListEveryReasonWithItsCode() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("s2i.repo.root", ".."),
        "README.md"));
    for (FailureReason reason : FailureReason.values()) {
      java.util.regex.Matcher rows = java.util.regex.Pattern.compile("(?m)^\\| " + reason.exitCode() + " \\|").matcher(readme);
      assertThat(rows.results().count()).as("README rows for exit code " + reason.exitCode() + " (" + reason + ")")
          .isEqualTo(1);
    }
    String guide = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("s2i.repo.root", ".."),
        "docs", "library.md"));
    for (FailureReason reason : FailureReason.values()) {
      assertThat(guide).as("docs/library.md's row for " + reason)
          .contains("| `" + reason + "` | " + reason.exitCode() + " |");
    }
  }

  @Test
  void onlyAFailureWithNoReasonAnywhereIsUnexpected() {
    assertThat(codes.getExitCode(new IllegalStateException("bug"))).isEqualTo(ExitCodes.UNEXPECTED);
    assertThat(ErrorReporter.format(new IllegalStateException("bug"))).isEqualTo("ERROR: bug");
  }
}
