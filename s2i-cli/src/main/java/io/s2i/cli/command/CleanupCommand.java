package io.s2i.cli.command;

import io.s2i.S2i;
import io.s2i.cli.S2iCli;
import io.s2i.cli.console.ConsoleRenderer;
import io.s2i.cli.options.EngineOptions;
import io.s2i.engine.ContainerEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code s2i cleanup}: removes what builds of processes that were killed outright left behind:
 * their temporary directories and, in the engine, their containers, the volumes made for them and
 * the daemonless engine's temporary files. Every build does the same for what it finds; this
 * command does it on demand, and names each thing removed.
 */
@Command(name = "cleanup", description = "Remove what killed builds left: temporary directories, containers, volumes.")
public final class CleanupCommand implements Callable<Integer> {
  @ParentCommand S2iCli root;

  @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Override
  public Integer call() throws Exception {
    ConsoleRenderer console = new ConsoleRenderer(System.err, root.logLevel, false);
    List<String> removed = new ArrayList<>();
    try (ContainerEngine engine = EngineOptions.open(root, console::debug)) {
      removed.addAll(S2i.builder().engine(engine).build().removeLeftovers());
    } finally {
      removed.forEach(r -> console.info("Removed " + r));
      console.info(removed.isEmpty() ? "Nothing left by killed builds" : "Removed " + removed.size() + " thing(s) left by killed builds");
    }
    return 0;
  }
}
