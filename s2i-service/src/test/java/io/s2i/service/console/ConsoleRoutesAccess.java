package io.s2i.service.console;

import java.util.List;

/** The console's file list, for tests in other packages. */
public final class ConsoleRoutesAccess {
  private ConsoleRoutesAccess() {}

  /** {@link ConsoleRoutes#FILES}. */
  public static List<String> files() {
    return ConsoleRoutes.FILES;
  }
}
