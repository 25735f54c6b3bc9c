package io.s2i.cli.command;

import io.s2i.api.BuildRequest;
import io.s2i.api.DockerfileRequest;
import io.s2i.api.EnvVar;
import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.PullPolicy;
import io.s2i.api.RunOptions;
import io.s2i.api.S2iException;
import io.s2i.api.SourceSpec;
import io.s2i.cli.S2iCli;
import io.s2i.cli.options.GlobalOptions;
import io.s2i.cli.console.ConsoleRenderer;
import io.s2i.cli.options.Converters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code s2i generate <builder> <output>}: a Dockerfile that assembles an empty source with the builder. */
@Command(name = "generate", description = "Generate a Dockerfile that runs the builder's assemble (technology preview).",
    sortOptions = true)
public final class GenerateCommand implements Callable<Integer>, Planned {
  @ParentCommand S2iCli root;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Parameters(index = "0", arity = "0..1", paramLabel = "<builder image>", description = "Builder image.")
  String builder;

  @Parameters(index = "1", arity = "0..1", paramLabel = "<output file>", description = "Dockerfile to write; a trailing / names a directory.")
  String output;

  @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", converter = Converters.Env.class,
      description = "Environment variable for the build and the image (repeatable).")
  List<EnvVar> env = new ArrayList<>();

  @Option(names = "--assemble-user", paramLabel = "USER", description = "User to run assemble as.")
  String assembleUser;

  /** Upstream's; refused: generate has no runtime image for it to apply to. */
  @Option(names = "--assemble-runtime-user", paramLabel = "USER", hidden = true)
  String assembleRuntimeUser;

  @Option(names = {"-q", "--quiet"}, description = "Only print errors.")
  boolean quiet;

  /** What {@code generate} will write. */
  record Plan(GlobalOptions globals, DockerfileRequest request, boolean quiet) {}

  @Override
  public Integer call() throws Exception {
    Plan plan = plan();
    ConsoleRenderer console = new ConsoleRenderer(System.err, plan.globals().logLevel(), plan.quiet());
    return DockerfileOutput.write(plan.globals().engine(), plan.request(), console);
  }

  @Override
  public Plan plan() throws S2iException {
    if (assembleRuntimeUser != null) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "--assemble-runtime-user applies to a runtime image,"
          + " and s2i generate takes none", "remove --assemble-runtime-user, or use s2i build --runtime-image"
          + " --as-dockerfile");
    }
    if (builder == null || output == null) {
      throw new S2iException(FailureReason.INVALID_REQUEST,
          "s2i generate needs a builder image and an output file: s2i generate <builder image> <output file>", null);
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(builder);
    } catch (IllegalArgumentException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "invalid builder image \"" + builder + "\": " + e.getMessage(), null);
    }
    RunOptions run = new RunOptions(Optional.ofNullable(assembleUser), io.s2i.api.AllowedUids.any(),
        Optional.empty(), List.of(), List.of(), List.of(), List.of());
    // No source is read (withSource false): "." only fills the request's required field.
    BuildRequest request = BuildRequest.builder(SourceSpec.local("."), ref).builderPull(PullPolicy.NEVER)
        .env(env).run(run).build();
    return new Plan(GlobalOptions.of(root), new DockerfileRequest(request, output, false), quiet);
  }
}
