package io.s2i.testing.engine;

import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineException;
import io.s2i.engine.EngineResolver;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one gate that decides whether a test whose set-up is missing (an engine, a fixture image, a
 * program such as skopeo or zsh) is skipped or fails: it is skipped, unless the system property
 * {@value #REQUIRED_PROPERTY} is {@code true} (as in CI, where scripts/test.sh sets everything up),
 * in which case it fails: a CI run that silently skipped them would prove nothing. Every test
 * decides through here, none with an assumption of its own.
 */
public final class EngineAvailability {
  /** System property that turns a missing engine from a skip into a failure. */
  public static final String REQUIRED_PROPERTY = "s2i.it.required";

  private EngineAvailability() {}

  /** Opens an engine; any exception it throws means the engine is unavailable. */
  @FunctionalInterface
  public interface EngineOpener {
    ContainerEngine open() throws Exception;
  }

  /** Opens the engine registered under {@code engineId} with this process's environment. */
  public static ContainerEngine openOrSkip(String engineId) {
    return openOrSkip(
        engineId,
        () -> EngineResolver.fromClassPath().resolve(Optional.of(engineId), System.getenv()));
  }

  /** Opens an engine with {@code opener}, or skips or fails the calling test (see class doc). */
  public static ContainerEngine openOrSkip(String description, EngineOpener opener) {
    try {
      return opener.open();
    } catch (Exception e) {
      unavailable(
          "the " + description + " engine cannot be opened: " + e.getMessage(),
          "the test command must set up the engine first (for Docker: scripts/ensure-engine.sh)");
      throw new AssertionError("unreachable");
    }
  }

  /** Skips or fails (see class doc) unless {@code engine} has the image {@code ref}. */
  public static void requireImage(ContainerEngine engine, String ref) {
    boolean present;
    try {
      present = engine.images().inspect(ref).isPresent();
    } catch (EngineException e) {
      unavailable("cannot inspect the test image " + ref + ": " + e.getMessage(), null);
      return;
    }
    if (!present) {
      unavailable(
          "the test image " + ref + " is missing",
          "the test command must create the fixtures first (scripts/ensure-fixtures.sh)");
    }
  }

  /**
   * Skips the calling test class unless {@code ok}, or fails it when the run demands engine-backed
   * tests ({@code -Ds2i.it.required=true}); {@code why} names what is missing.
   */
  public static void requireOrSkip(boolean ok, String why) {
    if (!ok) {
      unavailable(why, null);
    }
  }

  /** Whether {@code program} is an executable in a directory of {@code PATH}. */
  public static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the current run demands engine-backed tests. */
  public static boolean required() {
    return Boolean.parseBoolean(System.getProperty(REQUIRED_PROPERTY, "false"));
  }

  private static void unavailable(String problem, String fix) {
    String message = fix == null ? problem : problem + "; " + fix;
    if (required()) {
      Assertions.fail(REQUIRED_PROPERTY + "=true but " + message);
    }
    Assumptions.abort(message);
  }
}
