package io.s2i.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code s2i version}: prints {@code s2i <version>} to stdout. */
@Command(name = "version", description = "Display version.")
public final class VersionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    spec.commandLine().getOut().println("s2i " + (v == null ? "unknown" : "v" + v));
  }
}
