package io.s2i.cli;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import picocli.CommandLine;

/** Maps failures to the documented exit codes (see the README's table). */
public final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
  public static final int OK = 0;
  public static final int UNEXPECTED = 1;
  public static final int USAGE = 2;

  @Override
  public int getExitCode(Throwable exception) {
    if (exception instanceof S2iException s) {
      return s.reason().exitCode();
    }
    if (exception instanceof CommandLine.ParameterException) {
      return USAGE;
    }
    return UNEXPECTED;
  }

  /** The exit code of a reason. */
  public static int of(FailureReason reason) {
    return reason.exitCode();
  }
}
