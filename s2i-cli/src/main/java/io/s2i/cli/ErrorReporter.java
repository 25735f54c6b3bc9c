package io.s2i.cli;

import io.s2i.api.S2iException;
import io.s2i.cli.console.CliWording;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Prints any error as one line, with the fix when known, worded for the command line
 * ({@link CliWording}); the stack trace only with --stacktrace.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    err.println(format(ex));
    S2iCli root = commandLine.getCommandSpec().root().commandLine().getCommand();
    if (root.stacktrace) {
      ex.printStackTrace(err);
    }
    err.flush();
    return new ExitCodes().getExitCode(ex);
  }

  /** {@code ERROR: <problem>. Fix: <suggestion>} on one line. */
  static String format(Throwable thrown) {
    // A failure with a reason speaks for itself even when something wrapped it on the way up.
    Throwable ex = thrown;
    for (Throwable t = thrown; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof S2iException) {
        ex = t;
        break;
      }
    }
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : CliWording.reword(ex.getMessage());
    message = message.replace('\n', ' ').strip();
    StringBuilder sb = new StringBuilder("ERROR: ").append(message);
    if (ex instanceof S2iException s && s.suggestion().isPresent()) {
      sb.append(message.endsWith(".") ? " " : ". ").append("Fix: ").append(CliWording.reword(s.suggestion().get()));
    }
    return sb.toString();
  }
}
