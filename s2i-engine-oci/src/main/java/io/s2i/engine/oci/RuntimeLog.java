package io.s2i.engine.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the OCI runtime's JSON log ({@code --log-format json}) for why a container did not start. */
final class RuntimeLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RuntimeLog() {}

  /** The runtime's error when it could not start the container process, such as a missing shell. */
  static Optional<String> startFailure(Path log) {
    if (!Files.isRegularFile(log)) {
      return Optional.empty();
    }
    try {
      String last = null;
      for (String line : Files.readAllLines(log)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode entry = JSON.readTree(line);
        if ("error".equals(entry.path("level").asText())) {
          last = entry.path("msg").asText();
        }
      }
      return Optional.ofNullable(last).map(m -> m.replaceFirst("^runc run failed: ", ""));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
