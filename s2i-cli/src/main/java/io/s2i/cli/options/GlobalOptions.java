package io.s2i.cli.options;

import io.s2i.api.S2iException;
import io.s2i.cli.S2iCli;

/**
 * What the global options decide for every command: the engine (with its TLS settings) and the
 * log level. {@code --stacktrace} is read by the error reporter, {@code -h} by picocli.
 *
 * @param engine the engine named and the environment it is opened with
 * @param logLevel {@code --loglevel}
 */
public record GlobalOptions(EngineOptions.Choice engine, int logLevel) {
  /** The global options of a parsed command line, checked. */
  public static GlobalOptions of(S2iCli root) throws S2iException {
    return new GlobalOptions(EngineOptions.choose(EngineOptions.Flags.of(root), System.getenv()), root.logLevel);
  }
}
