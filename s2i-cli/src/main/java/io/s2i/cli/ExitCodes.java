package io.s2i.cli;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import picocli.CommandLine;

/** Maps failures to the documented exit codes (see the README's table). */
public final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
  public static final int OK = 0;
  public static final int UNEXPECTED = 1;
  public static final int USAGE = 2;

  /**
   * The code of the failure's reason. An {@link S2iException} wrapped in an unchecked exception on
   * its way up (a library callback, a future) still decides: only a failure that carries no
   * reason anywhere in its causes is unexpected.
   */
  @Override
  public int getExitCode(Throwable exception) {
    if (exception instanceof CommandLine.ParameterException) {
      return USAGE;
    }
    return reasonOf(exception).map(FailureReason::exitCode).orElse(UNEXPECTED);
  }

  /** The reason of the first {@link S2iException} in {@code exception}'s chain of causes. */
  public static java.util.Optional<FailureReason> reasonOf(Throwable exception) {
    java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Throwable t = exception; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof S2iException s) {
        return java.util.Optional.of(s.reason());
      }
    }
    return java.util.Optional.empty();
  }

  /** The exit code of a reason. */
  public static int of(FailureReason reason) {
    return reason.exitCode();
  }
}
