package io.s2i.cli;

import io.s2i.cli.options.EngineOptions;
import java.util.List;
import java.util.Set;

/**
 * Starts opening the engine before the command line is parsed, when the arguments show a command
 * that needs it: building picocli's model of the commands takes some 150 ms, which the engine
 * probe and the client set-up can use on another core. A cheap look at the arguments, not a
 * parse: when it guesses wrong, the engine is opened afresh (or not at all) as without it.
 */
final class EarlyEngineStart {
  private static final Set<String> ENGINE_COMMANDS = Set.of("build", "detect", "rebuild", "usage");
  // The global options that take a value in the next argument (unless written --name=value).
  private static final Set<String> VALUE_OPTIONS =
      Set.of("--loglevel", "-U", "--url", "--engine", "--cert", "--key", "--ca");

  private EarlyEngineStart() {}

  /** Calls {@link EngineOptions#prepare} when {@code args} run an engine command. */
  static void startIfNeeded(String[] args) {
    if (needsEngine(List.of(args))) {
      String level = value(args, null, "--loglevel");
      if (level != null && level.matches("\\d{1,3}")
          && Integer.parseInt(level) >= io.s2i.cli.console.ConsoleRenderer.DIAGNOSTICS_LEVEL) {
        // The engine classes load on the early thread, before the command line is parsed.
        io.s2i.cli.console.ConsoleRenderer.enableLibraryDiagnostics();
      }
      String engine = value(args, null, "--engine");
      // --engine's default, as the command line declares it.
      EngineOptions.prepare(new EngineOptions.Flags(value(args, "-U", "--url"),
          engine != null ? engine : System.getenv("S2I_ENGINE"), flag(args, "--tls"), flag(args, "--tlsverify"),
          value(args, null, "--ca"), value(args, null, "--cert"), value(args, null, "--key")));
    }
  }

  /** Whether the first argument that is not a global option is a command that opens the engine. */
  static boolean needsEngine(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-h") || a.equals("--help") || a.startsWith("--as-dockerfile")) {
        return false;
      }
    }
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (VALUE_OPTIONS.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        return ENGINE_COMMANDS.contains(a);
      }
    }
    return false;
  }

  /** Whether a switch is given anywhere in {@code args} ({@code --name} or {@code --name=true}). */
  static boolean flag(String[] args, String name) {
    boolean on = false;
    for (String a : args) {
      if (a.equals(name) || a.equalsIgnoreCase(name + "=true")) {
        on = true;
      } else if (a.equalsIgnoreCase(name + "=false")) {
        on = false;
      }
    }
    return on;
  }

  /** The value of an option anywhere in {@code args} (global options may follow the command). */
  static String value(String[] args, String shortName, String longName) {
    String found = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals(longName) || a.equals(shortName)) && i + 1 < args.length) {
        found = args[++i];
      } else if (a.startsWith(longName + "=")) {
        found = a.substring(longName.length() + 1);
      } else if (shortName != null && a.startsWith(shortName) && a.length() > shortName.length()) {
        found = a.substring(shortName.length()).replaceFirst("^=", "");
      }
    }
    return found;
  }
}
