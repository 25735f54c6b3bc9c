package io.s2i.cli.console;

import io.s2i.api.BuildEvent;
import io.s2i.api.EventSink;
import java.io.PrintStream;

/**
 * Renders build events on stderr as upstream does: container output and s2i's own messages all go
 * to stderr; {@code --loglevel} 1 adds progress lines, 2 and above add configuration and engine
 * details; {@code -q} hides the containers' stdout only.
 */
public final class ConsoleRenderer implements EventSink {
  private final PrintStream err;
  private final int logLevel;
  private final boolean quiet;
  private final TransferRenderer transfers;

  public ConsoleRenderer(PrintStream err, int logLevel, boolean quiet) {
    this(err, logLevel, quiet, false);
  }

  /**
   * @param terminal whether stderr is a terminal: pull and push progress then redraws one line
   *     instead of printing a line per finished layer
   */
  public ConsoleRenderer(PrintStream err, int logLevel, boolean quiet, boolean terminal) {
    this.err = err;
    this.logLevel = logLevel;
    this.quiet = quiet;
    this.transfers = new TransferRenderer(err, terminal);
    if (logLevel >= DIAGNOSTICS_LEVEL) {
      enableLibraryDiagnostics();
    }
  }

  /** The {@code --loglevel} from which the engines' own diagnostics are shown. */
  public static final int DIAGNOSTICS_LEVEL = 5;

  /**
   * Lets the engines' own diagnostics (SLF4J, warnings only by default: simplelogger.properties)
   * through. A logger reads this when it is made, so it must run before the engine classes load.
   */
  public static void enableLibraryDiagnostics() {
    System.setProperty("org.slf4j.simpleLogger.log.io.s2i", "debug");
  }

  @Override
  public void accept(BuildEvent event) {
    if (event instanceof BuildEvent.ContainerOutput out) {
      if (!(quiet && out.stream() == BuildEvent.Stream.STDOUT)) {
        print(out.line());
      }
    } else if (event instanceof BuildEvent.Log log) {
      render(log);
    } else if (event instanceof BuildEvent.Transfer transfer) {
      transfers.render(transfer);
    } else if (event instanceof BuildEvent.StepFinished finished && logLevel >= 2) {
      print("Step " + finished.step() + (finished.succeeded() ? " finished" : " failed")
          + " in " + finished.duration().toMillis() + " ms");
    }
  }

  /** s2i's own messages, worded for the command line ({@link CliWording}); scripts' output is not. */
  private void render(BuildEvent.Log log) {
    switch (log.level()) {
      case ERROR -> print("ERROR: " + CliWording.reword(log.message()));
      case WARN -> print("WARNING: " + CliWording.reword(log.message()));
      case INFO -> print(CliWording.reword(log.message()));
      case DETAIL -> {
        if (logLevel >= 1) {
          print(CliWording.reword(log.message()));
        }
      }
      case DEBUG -> {
        if (logLevel >= 2) {
          print(CliWording.reword(log.message()));
        }
      }
    }
  }

  private void print(String line) {
    synchronized (err) {
      transfers.endLine();
      err.println(line);
    }
  }
}
