package io.s2i.internal.source;

import io.s2i.api.EnvVar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the two environment file formats of upstream. */
public final class EnvironmentFiles {
  private EnvironmentFiles() {}

  /**
   * Parses a source's {@code .s2i/environment}: {@code #} lines skipped; other lines split at the
   * first {@code =} with name and value trimmed; lines without {@code =} or name are skipped.
   */
  public static List<EnvVar> parseSourceEnvironment(List<String> lines) {
    List<EnvVar> vars = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0 || line.substring(0, eq).isBlank()) {
        continue;
      }
      vars.add(new EnvVar(line.substring(0, eq).trim(), line.substring(eq + 1).trim()));
    }
    return vars;
  }

  /** Reads {@code .s2i/environment} under {@code sourceRoot}, if present. */
  public static List<EnvVar> readSourceEnvironment(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    return parseSourceEnvironment(Files.readAllLines(file));
  }

  /** Parses an {@code -E} file: {@link EnvVar#parseEnvironmentFile}. */
  public static List<EnvVar> parseEnvironmentFile(List<String> lines) {
    return EnvVar.parseEnvironmentFile(lines);
  }
}
