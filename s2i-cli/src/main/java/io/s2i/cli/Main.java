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
    skipClassPathScans();
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

  /**
   * Three look-ups scan the class path for optional classes, which opens every jar (some 45 ms
   * each time the jars are not open yet, under a lock that holds up class loading on the other
   * threads): picocli's for Groovy closures, SLF4J's for its backend and the JDK's for a
   * replacement of its socket-channel provider (the first socket opened, the engine's ping, waits
   * for it). None is wanted: there is no Groovy here, the backend is known and the JDK's own
   * provider is the one to use. A user's own -D setting wins.
   */
  private static void skipClassPathScans() {
    setUnlessSet("picocli.disable.closures", "true");
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
      // Else SLF4J tells, on every run, that it was told which backend to use.
      setUnlessSet("slf4j.internal.verbosity", "WARN");
    }
    // Named, the JDK makes an instance of the same class its default would be (Linux's).
    String linuxProvider = "sun.nio.ch.EPollSelectorProvider";
    try {
      Class.forName(linuxProvider, false, null);
      setUnlessSet("java.nio.channels.spi.SelectorProvider", linuxProvider);
    } catch (ClassNotFoundException notLinux) {
      // another platform's JDK: its own look-up stays
    }
  }

  private static void setUnlessSet(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
