package io.s2i.cli.command;

import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.S2iException;
import io.s2i.cli.S2iCli;
import io.s2i.cli.console.ConsoleRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code s2i create <imageName> <destination>}: the skeleton of a new builder image. */
@Command(name = "create", description = "Bootstrap a new S2I builder image repository.")
public final class CreateCommand implements Callable<Integer> {
  @ParentCommand S2iCli root;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Parameters(index = "0", arity = "0..1", paramLabel = "<imageName>", description = "Name of the builder image.")
  String imageName;

  @Parameters(index = "1", arity = "0..1", paramLabel = "<destination>", description = "Directory to create it in.")
  Path destination;

  @Override
  public Integer call() throws Exception {
    if (imageName == null || destination == null) {
      throw new S2iException(FailureReason.INVALID_REQUEST,
          "s2i create needs an image name and a directory: s2i create <imageName> <destination>", null);
    }
    try {
      ImageRef.parse(imageName);
    } catch (IllegalArgumentException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST,
          "invalid image name \"" + imageName + "\": " + e.getMessage(), "use a lowercase name such as my-builder");
    }
    ConsoleRenderer console = new ConsoleRenderer(System.err, root.logLevel, false);
    try {
      List<String> written = BuilderScaffold.write(imageName, destination,
          path -> console.warn("File already exists: " + path + ", skipping"));
      console.detail("Created " + written.size() + " files in " + destination);
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC,
          "could not write the builder skeleton in " + destination + ": " + e.getMessage(),
          "choose a writable destination directory", e);
    }
    return 0;
  }
}
