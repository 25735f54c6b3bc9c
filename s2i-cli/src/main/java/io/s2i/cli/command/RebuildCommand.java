package io.s2i.cli.command;

import io.s2i.S2i;
import io.s2i.api.BuildResult;
import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.PullPolicy;
import io.s2i.api.RebuildRequest;
import io.s2i.api.S2iException;
import io.s2i.cli.S2iCli;
import io.s2i.cli.console.ConsoleRenderer;
import io.s2i.cli.options.Converters;
import io.s2i.api.IncrementalSpec;
import io.s2i.cli.options.EngineOptions;
import io.s2i.cli.options.GlobalOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import io.s2i.engine.ContainerEngine;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code s2i rebuild <image> [<new-tag>]}: builds an s2i-built image again from its labels. */
@Command(name = "rebuild", description = "Rebuild an s2i-built image from the builder and source recorded in its labels.",
    sortOptions = true)
public final class RebuildCommand implements Callable<Integer>, Planned {
  @ParentCommand S2iCli root;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Parameters(index = "0", arity = "0..1", paramLabel = "<image>", description = "Image built by s2i.")
  String image;

  @Parameters(index = "1", arity = "0..1", paramLabel = "<new-tag>", description = "Name of the new image; default: replace <image>.")
  String newTag;

  @Option(names = {"-p", "--pull-policy"}, paramLabel = "POLICY", converter = Converters.Pull.class,
      description = "Pull policy of the image and its builder: always, never, if-not-present (default).")
  PullPolicy pullPolicy = PullPolicy.IF_NOT_PRESENT;

  @Option(names = {"-d", "--destination"}, paramLabel = "DIR", description = "Directory in the builder where sources and scripts are unpacked.")
  String destination;

  @Option(names = {"-q", "--quiet"}, description = "Hide the assemble script's stdout.")
  boolean quiet;

  @Option(names = "--callback-url", paramLabel = "URL", description = "URL to POST the build result to.")
  String callbackUrl;

  @Option(names = "--save-temp-dir", description = "Keep the temporary working directory.")
  boolean saveTempDir;

  @Option(names = "--incremental", description = "Restore artifacts saved from the image being rebuilt (or the new tag's).")
  boolean incremental;

  @Option(names = "--incremental-pull-policy", paramLabel = "POLICY", converter = Converters.Pull.class,
      description = "Pull policy of the previous image.")
  PullPolicy incrementalPullPolicy = PullPolicy.IF_NOT_PRESENT;

  @Option(names = "--rm", description = "Remove the previous image after an incremental rebuild.")
  boolean removePrevious;

  @Option(names = "--runtime-pull-policy", paramLabel = "POLICY", converter = Converters.Pull.class,
      description = "Pull policy of the runtime image, for an image made by an extended build.")
  PullPolicy runtimePullPolicy = PullPolicy.IF_NOT_PRESENT;

  @Option(names = "--dockercfg-path", paramLabel = "FILE",
      description = "Registry credentials file (Docker config.json) for every pull, read before"
          + " $DOCKER_CONFIG/config.json and ~/.docker/config.json.")
  String dockercfgPath;

  @Spec CommandSpec spec;

  /**
   * What {@code rebuild} will do; the rest of the build comes from the image's labels.
   *
   * @param notices warnings about flags, shown before anything runs
   */
  record Plan(GlobalOptions globals, RebuildRequest request, boolean quiet, Optional<Path> dockercfg,
      List<String> notices) {}

  @Override
  public Integer call() throws Exception {
    Plan plan = plan();
    ConsoleRenderer console = new ConsoleRenderer(System.err, plan.globals().logLevel(), plan.quiet());
    plan.notices().forEach(console::info);
    try (ContainerEngine engine = EngineOptions.open(plan.globals().engine(), console::debug)) {
      S2i s2i = S2i.builder().engine(engine).events(console)
          .credentials(io.s2i.cli.options.Credentials.source(plan.dockercfg())).build();
      BuildResult result = s2i.rebuild(plan.request());
      console.detail("Image " + result.imageId());
    }
    return 0;
  }

  @Override
  public Plan plan() throws S2iException {
    if (image == null) {
      throw usage("s2i rebuild needs an image built by s2i: s2i rebuild <image> [<new-tag>]", null);
    }
    ImageRef imageRef = parse(image, "image");
    RebuildRequest.Builder request = RebuildRequest.builder(imageRef).pull(pullPolicy)
        .destination(destination).keepWorkspace(saveTempDir).runtimePull(runtimePullPolicy);
    if (newTag != null && !newTag.isEmpty()) {
      request.newTag(parse(newTag, "new tag"));
    }
    if (callbackUrl != null) {
      try {
        request.callbackUrl(new URI(callbackUrl));
      } catch (URISyntaxException e) {
        throw usage("invalid --callback-url \"" + callbackUrl + "\": " + e.getReason(), null);
      }
    }
    List<String> notices = new ArrayList<>();
    if (incremental) {
      request.incremental(new IncrementalSpec(Optional.empty(), incrementalPullPolicy, removePrevious));
    } else {
      for (String option : List.of("--rm", "--incremental-pull-policy")) {
        if (spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option)) {
          notices.add("WARNING: " + option + " has no effect without --incremental");
        }
      }
    }
    return new Plan(GlobalOptions.of(root), request.build(), quiet,
        io.s2i.cli.options.Credentials.dockercfgPath(dockercfgPath), List.copyOf(notices));
  }

  private static ImageRef parse(String text, String what) throws S2iException {
    try {
      return ImageRef.parse(text);
    } catch (IllegalArgumentException e) {
      throw usage("invalid " + what + " \"" + text + "\": " + e.getMessage(), null);
    }
  }

  private static S2iException usage(String message, String fix) {
    return new S2iException(FailureReason.INVALID_REQUEST, message, fix);
  }
}
