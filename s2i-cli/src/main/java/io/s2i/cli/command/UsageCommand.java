package io.s2i.cli.command;

import io.s2i.S2i;
import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.PullPolicy;
import io.s2i.api.S2iException;
import io.s2i.api.ScriptsSpec;
import io.s2i.api.UsageRequest;
import io.s2i.cli.S2iCli;
import io.s2i.cli.console.ConsoleRenderer;
import io.s2i.cli.options.Converters;
import io.s2i.cli.options.EngineOptions;
import io.s2i.engine.ContainerEngine;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code s2i usage <image>}: prints the builder's usage script output (to stderr, as upstream). */
@Command(name = "usage", description = "Print the usage of a builder image (its usage script).", sortOptions = true)
public final class UsageCommand implements Callable<Integer> {
  @ParentCommand S2iCli root;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Parameters(index = "0", arity = "0..1", paramLabel = "<image>", description = "Builder image.")
  String image;

  @Option(names = {"-p", "--pull-policy"}, paramLabel = "POLICY", converter = Converters.Pull.class,
      description = "Builder image pull policy: always, never, if-not-present (default).")
  PullPolicy pullPolicy = PullPolicy.IF_NOT_PRESENT;

  @Option(names = {"-s", "--scripts-url"}, paramLabel = "URL", description = "Location of the usage script: image://, file://, http(s)://.")
  String scriptsUrl;

  @Option(names = {"-d", "--destination"}, paramLabel = "DIR", description = "Directory in the builder where scripts are unpacked.")
  String destination;

  @Option(names = {"-l", "--location"}, hidden = true, description = "DEPRECATED: use --destination.")
  String deprecatedLocation;

  @Option(names = {"-q", "--quiet"}, description = "Hide the script's stdout.")
  boolean quiet;

  @Option(names = "--save-temp-dir", description = "Keep the temporary working directory.")
  boolean saveTempDir;

  /** Upstream's common build flags, accepted so that scripts keep working; they change nothing here. */
  @Option(names = {"--incremental", "--rm"}, hidden = true) boolean ignoredSwitch;

  @Option(names = {"--callback-url", "--incremental-pull-policy", "--runtime-pull-policy", "--dockercfg-path"},
      hidden = true) String ignoredValue;

  @Override
  public Integer call() throws Exception {
    if (image == null) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "s2i usage needs a builder image: s2i usage <image>", null);
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(image);
    } catch (IllegalArgumentException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "invalid builder image \"" + image + "\": " + e.getMessage(), null);
    }
    ConsoleRenderer console = new ConsoleRenderer(System.err, root.logLevel, quiet);
    if (deprecatedLocation != null) {
      console.info("DEPRECATED: Flag --location is deprecated, use --destination instead");
      destination = deprecatedLocation;
    }
    ScriptsSpec scripts = new ScriptsSpec(Optional.ofNullable(scriptsUrl), Optional.empty(), Optional.ofNullable(destination));
    try (ContainerEngine engine = EngineOptions.open(root, console::debug)) {
      S2i.builder().engine(engine).events(console).build().usage(UsageRequest.builder(ref)
          .builderPull(pullPolicy).scripts(scripts).keepWorkspace(saveTempDir).build());
    }
    return 0;
  }
}
