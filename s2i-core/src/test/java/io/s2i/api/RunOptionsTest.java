package io.s2i.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunOptionsTest {
  /** The inputs digest of existing images holds this text: it must stay what the record would print. */
  @Test
  void toStringIsTheRecordsGeneratedText() throws Exception {
    RunOptions options = new RunOptions(Optional.of("1001"), AllowedUids.parse("1-"), Optional.of("host"),
        List.of("KILL"), List.of("/a:/b:ro"), List.of("h:127.0.0.1"),
        List.of(new PathMapping("/secrets", "/tmp/secrets")));
    List<String> parts = new ArrayList<>();
    for (RecordComponent c : RunOptions.class.getRecordComponents()) {
      if (c.getName().equals("timeouts")) {
        continue; // when a build is stopped, not what it makes: not part of the inputs digest
      }
      parts.add(c.getName() + "=" + c.getAccessor().invoke(options));
    }
    assertThat(options.toString()).isEqualTo("RunOptions[" + String.join(", ", parts) + "]");
    assertThat(RunOptions.defaults().toString()).startsWith("RunOptions[assembleUser=Optional.empty, allowedUids=");
    assertThat(options.withTimeouts(new PhaseTimeouts(java.time.Duration.ofSeconds(1), java.time.Duration.ZERO))
        .toString()).isEqualTo(options.toString());
  }
}
