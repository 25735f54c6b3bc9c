package io.s2i.cli;

import io.s2i.cli.command.BuildCommand;
import io.s2i.cli.command.CacheCommand;
import io.s2i.cli.command.CompletionCommand;
import io.s2i.cli.command.CreateCommand;
import io.s2i.cli.command.DetectCommand;
import io.s2i.cli.command.GenerateCommand;
import io.s2i.cli.command.OpenShiftBuildCommand;
import io.s2i.cli.command.RebuildCommand;
import io.s2i.cli.command.UsageCommand;
import io.s2i.cli.command.VersionCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code s2i} command. */
@Command(
    name = "s2i",
    mixinStandardHelpOptions = false,
    description = "Source-to-image (S2I): build reproducible container images from source code.",
    subcommands = {BuildCommand.class, CacheCommand.class, io.s2i.cli.command.CleanupCommand.class, CompletionCommand.class, CreateCommand.class, DetectCommand.class, GenerateCommand.class, OpenShiftBuildCommand.class, RebuildCommand.class, UsageCommand.class, VersionCommand.class,
        io.s2i.cli.service.ServeCommand.class, io.s2i.cli.service.ApplyCommand.class, io.s2i.cli.service.StartBuildCommand.class, io.s2i.cli.service.CancelBuildCommand.class, io.s2i.cli.service.BuildsCommand.class, io.s2i.cli.service.DescribeCommand.class, io.s2i.cli.service.LogsCommand.class, io.s2i.cli.service.LoginCommand.class,
        io.s2i.cli.service.FetchInputCommand.class,
        CommandLine.HelpCommand.class},
    usageHelpAutoWidth = true)
public final class S2iCli implements Runnable {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help.")
  boolean help;

  @Option(names = "--loglevel", scope = ScopeType.INHERIT, paramLabel = "N",
      description = "Verbosity: 0 (default) to 5.")
  public int logLevel;

  @Option(names = {"-U", "--url"}, scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "Engine endpoint; default $DOCKER_HOST, else unix:///var/run/docker.sock.")
  public String url;

  @Option(names = "--engine", scope = ScopeType.INHERIT, paramLabel = "NAME", defaultValue = "${env:S2I_ENGINE}",
      description = "Container engine: docker (the Docker or Podman API) or oci (daemonless: runc or crun"
          + " on overlayfs, needs root); default $S2I_ENGINE, else the first that answers, docker first.")
  public String engine;

  @Option(names = "--tlsverify", scope = ScopeType.INHERIT,
      description = "Use TLS to a tcp:// engine and verify the daemon's certificate (default: $DOCKER_TLS_VERIFY set).")
  public boolean tlsVerify;

  @Option(names = "--tls", scope = ScopeType.INHERIT,
      description = "Use TLS to a tcp:// engine without verifying the daemon's certificate (default: $DOCKER_TLS set).")
  public boolean tls;

  @Option(names = "--ca", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "CA certificate the daemon's is checked against; default ca.pem in $DOCKER_CERT_PATH, else"
          + " $DOCKER_CONFIG, else ~/.docker.")
  public String ca;

  @Option(names = "--cert", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "TLS client certificate; default cert.pem in the same directory.")
  public String cert;

  @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Key of the TLS client certificate; default key.pem in the same directory.")
  public String key;

  @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
  public boolean stacktrace;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the configured command line; separate from {@link #main} so tests can run it. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new S2iCli());
    cl.setExitCodeExceptionMapper(new ExitCodes());
    cl.setParameterExceptionHandler(new ShortErrorHandler());
    cl.setExecutionExceptionHandler(new ErrorReporter());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionStrategy(parseResult -> {
      refuseGlobalsInVain(parseResult);
      return new CommandLine.RunLast().execute(parseResult);
    });
    return cl;
  }

  /**
   * The commands that open an engine: only they use the engine's global options ({@code serve}
   * builds with the engine they name; the service's client commands talk to a server, not an engine).
   */
  static final java.util.Set<String> ENGINE_COMMANDS =
      java.util.Set.of("build", "rebuild", "usage", "generate", "detect", "serve", "openshift-build", "cleanup",
          "cache ls", "cache prune", "cache rm", "cache pull");
  /** The commands that print more at a higher {@code --loglevel}. */
  static final java.util.Set<String> LOGGING_COMMANDS = java.util.Set.of("build", "rebuild", "usage", "generate", "detect", "create",
      "openshift-build");
  private static final java.util.List<String> ENGINE_OPTIONS =
      java.util.List.of("--url", "--engine", "--tls", "--tlsverify", "--ca", "--cert", "--key");

  /**
   * Global options are accepted before or after every command, as upstream's persistent flags, but
   * a command that cannot use one refuses it rather than ignoring it: the engine's options on
   * {@code create}, {@code version}, {@code completion}, {@code help} and the service's client
   * commands, {@code --loglevel} on those that print nothing more with it.
   */
  private static void refuseGlobalsInVain(CommandLine.ParseResult parseResult) {
    CommandLine.ParseResult last = parseResult;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    // The command's path below s2i ("cache pull"): a subcommand's name alone can be anyone's.
    String command = last == parseResult ? ""
        : last.commandSpec().qualifiedName(" ").substring(parseResult.commandSpec().name().length()).strip();
    if (command.isEmpty() || last.isUsageHelpRequested() || last.isVersionHelpRequested()) {
      return; // s2i alone prints its help; help is help
    }
    java.util.List<String> refused = new java.util.ArrayList<>();
    if (!ENGINE_COMMANDS.contains(command)) {
      refused.addAll(ENGINE_OPTIONS);
    }
    if (!LOGGING_COMMANDS.contains(command)) {
      refused.add("--loglevel");
    }
    for (CommandLine.ParseResult r = parseResult; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
      for (String option : refused) {
        if (r.hasMatchedOption(option)) {
          throw new CommandLine.ParameterException(last.commandSpec().commandLine(),
              option + " does not apply to s2i " + command + ": remove it");
        }
      }
    }
  }

  /** Runs s2i as a process; the same as {@link Main#main}. */
  public static void main(String[] args) {
    Main.main(args);
  }

  /** Prints a parse error in one line plus a pointer to help; exit 2. */
  static final class ShortErrorHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("ERROR: " + ex.getMessage());
      err.println("See '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
      return ExitCodes.USAGE;
    }
  }
}
