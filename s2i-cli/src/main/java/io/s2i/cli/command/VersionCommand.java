package io.s2i.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code s2i version}: prints {@code s2i <version>} to stdout. */
@Command(name = "version", description = "Display version.")
public final class VersionCommand implements Runnable {
  @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    spec.commandLine().getOut().println("s2i " + (v == null ? "unknown" : "v" + v));
  }
}
