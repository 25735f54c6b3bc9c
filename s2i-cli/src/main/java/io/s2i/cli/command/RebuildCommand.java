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
import io.s2i.cli.options.EngineOptions;
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
public final class RebuildCommand implements Callable<Integer> {
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

  @Option(names = {"--incremental", "--rm"}, hidden = true) boolean incremental;

  @Option(names = {"--incremental-pull-policy", "--runtime-pull-policy", "--dockercfg-path"}, hidden = true)
  String ignoredValue;

  @Override
  public Integer call() throws Exception {
    if (image == null) {
      throw usage("s2i rebuild needs an image built by s2i: s2i rebuild <image> [<new-tag>]", null);
    }
    if (incremental) {
      throw usage("--incremental and --rm are not supported by this version yet", "rebuild without them");
    }
    ImageRef imageRef = parse(image, "image");
    Optional<ImageRef> tagRef = newTag == null || newTag.isEmpty() ? Optional.empty() : Optional.of(parse(newTag, "new tag"));
    ConsoleRenderer console = new ConsoleRenderer(System.err, root.logLevel, quiet);
    try (ContainerEngine engine = EngineOptions.open(root)) {
      S2i s2i = S2i.builder().engine(engine).events(console).build();
      RebuildRequest.Builder request = RebuildRequest.builder(imageRef).pull(pullPolicy)
          .destination(destination).keepWorkspace(saveTempDir);
      tagRef.ifPresent(request::newTag);
      if (callbackUrl != null) {
        try {
          request.callbackUrl(new URI(callbackUrl));
        } catch (URISyntaxException e) {
          throw usage("invalid --callback-url \"" + callbackUrl + "\": " + e.getReason(), null);
        }
      }
      BuildResult result = s2i.rebuild(request.build());
      console.detail("Image " + result.imageId());
    }
    return 0;
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
