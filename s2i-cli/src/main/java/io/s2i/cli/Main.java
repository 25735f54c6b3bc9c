package io.s2i.cli;

/**
 * The process entry point (the jar's {@code Main-Class}). Kept apart from {@link S2iCli}, whose
 * methods name picocli types: the JVM resolves those when it checks the main class, and loading
 * picocli (which the class-data archive cannot hold) would then delay everything, the early
 * engine start included, by some 30 ms.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ShutdownGuard guard = ShutdownGuard.install();
    EarlyEngineStart.startIfNeeded(args);
    int code;
    try {
      code = S2iCli.commandLine().execute(args);
    } finally {
      guard.mainFinished();
    }
    if (!guard.shuttingDown()) {
      System.exit(code);
    }
  }
}
