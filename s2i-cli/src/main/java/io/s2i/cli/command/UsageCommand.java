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
import io.s2i.cli.options.GlobalOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import io.s2i.engine.ContainerEngine;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code s2i usage <image>}: prints the builder's usage script output (to stderr, as upstream). */
@Command(name = "usage", description = "Print the usage of a builder image (its usage script).", sortOptions = true)
public final class UsageCommand implements Callable<Integer>, Planned {
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

  @Option(names = "--dockercfg-path", paramLabel = "FILE",
      description = "Registry credentials file (Docker config.json) for pulling the builder, read before"
          + " $DOCKER_CONFIG/config.json and ~/.docker/config.json.")
  String dockercfgPath;

  /**
   * Upstream's common build flags that mean nothing to a command that builds no image: refused
   * with a clear error rather than accepted and ignored.
   */
  @Option(names = "--incremental", hidden = true) boolean refusedIncremental;
  @Option(names = "--rm", hidden = true) boolean refusedRm;
  @Option(names = "--callback-url", hidden = true) String refusedCallbackUrl;
  @Option(names = "--incremental-pull-policy", hidden = true) String refusedIncrementalPullPolicy;
  @Option(names = "--runtime-pull-policy", hidden = true) String refusedRuntimePullPolicy;

  @Spec CommandSpec spec;

  /** What {@code usage} will run. */
  record Plan(GlobalOptions globals, UsageRequest request, boolean quiet, Optional<Path> dockercfg,
      List<String> notices) {}

  @Override
  public Integer call() throws Exception {
    Plan plan = plan();
    ConsoleRenderer console = new ConsoleRenderer(System.err, plan.globals().logLevel(), plan.quiet());
    plan.notices().forEach(console::info);
    try (ContainerEngine engine = EngineOptions.open(plan.globals().engine(), console::debug)) {
      S2i.builder().engine(engine).events(console)
          .credentials(io.s2i.cli.options.Credentials.source(plan.dockercfg())).build().usage(plan.request());
    }
    return 0;
  }

  @Override
  public Plan plan() throws S2iException {
    for (String option : List.of("--incremental", "--rm", "--callback-url", "--incremental-pull-policy",
        "--runtime-pull-policy")) {
      if (spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option)) {
        throw new S2iException(FailureReason.INVALID_REQUEST, option + " does not apply to s2i usage, which builds no"
            + " image", "remove " + option);
      }
    }
    if (image == null) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "s2i usage needs a builder image: s2i usage <image>", null);
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(image);
    } catch (IllegalArgumentException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "invalid builder image \"" + image + "\": " + e.getMessage(), null);
    }
    List<String> notices = new ArrayList<>();
    String dest = destination;
    if (deprecatedLocation != null) {
      notices.add("DEPRECATED: Flag --location is deprecated, use --destination instead");
      dest = deprecatedLocation;
    }
    ScriptsSpec scripts = new ScriptsSpec(Optional.ofNullable(scriptsUrl), Optional.empty(), Optional.ofNullable(dest));
    UsageRequest request = UsageRequest.builder(ref).builderPull(pullPolicy).scripts(scripts)
        .keepWorkspace(saveTempDir).build();
    return new Plan(GlobalOptions.of(root), request, quiet,
        io.s2i.cli.options.Credentials.dockercfgPath(dockercfgPath), List.copyOf(notices));
  }
}
