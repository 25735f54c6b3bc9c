package io.s2i.cli.command;

import io.s2i.S2i;
import io.s2i.api.DetectOptions;
import io.s2i.api.Detection;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.api.SourceSpec;
import io.s2i.cli.S2iCli;
import io.s2i.cli.console.ConsoleRenderer;
import io.s2i.cli.console.DetectionRenderer;
import io.s2i.cli.options.DetectionOptions;
import io.s2i.cli.options.GlobalOptions;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code s2i detect <source>}: the languages of a source (each with the file that proved it and
 * the version it asks for), its strategy, and the builder image {@code s2i build --detect} would
 * use and why. The report goes to stdout; a source that cannot be built with a detected builder
 * also gets the error line on stderr and exit code 11.
 */
@Command(name = "detect", sortOptions = true,
    description = "Detect the language, version and strategy of a source and choose its builder image.")
public final class DetectCommand implements Callable<Integer>, Planned {
  @ParentCommand S2iCli root;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Parameters(index = "0", paramLabel = "<source>",
      description = "Directory, git URL, archive (tar, tar.gz, tar.zst, zip) or single file (jar, executable).")
  String source;

  @Option(names = {"-r", "--ref"}, paramLabel = "REF", description = "Git ref to read.")
  String ref;

  @Option(names = "--context-dir", paramLabel = "DIR", description = "Sub-directory of the source that holds the application.")
  String contextDir;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json.")
  String output = "text";

  @Mixin DetectionOptions detection;

  /** What {@code detect} will read and how it reports. */
  record Plan(GlobalOptions globals, SourceSpec source, DetectOptions options, boolean json) {}

  @Override
  public Plan plan() throws S2iException {
    if (!output.equals("text") && !output.equals("json")) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "-o " + output + " is neither text nor json", null);
    }
    SourceSpec spec = new SourceSpec(source, Optional.ofNullable(ref), Optional.ofNullable(contextDir), false, false,
        SourceSpec.DEFAULT_EXCLUDE, false).withBinary(detection.binary(System.getenv()));
    return new Plan(GlobalOptions.of(root), spec, detection.detectOptions(System.getenv(), true), output.equals("json"));
  }

  @Override
  public Integer call() throws Exception {
    Plan plan = plan();
    ConsoleRenderer console = new ConsoleRenderer(System.err, plan.globals().logLevel(), false);
    Detection found = EngineDetection.detect(plan.globals().engine(), plan.source(), plan.options(), console);
    System.out.print(plan.json() ? DetectionRenderer.json(found) : DetectionRenderer.text(found));
    System.out.flush();
    found.requireBuilder(); // the error line and exit code 11 when it cannot be built this way
    return 0;
  }

  /** Detection with the engine's builder images when an engine answers, else the catalogue alone. */
  static final class EngineDetection {
    private EngineDetection() {}

    static Detection detect(io.s2i.cli.options.EngineOptions.Choice choice, SourceSpec spec, DetectOptions options,
        ConsoleRenderer console) throws S2iException {
      try (io.s2i.engine.ContainerEngine engine = io.s2i.cli.options.EngineOptions.open(choice, console::debug)) {
        return S2i.builder().engine(engine).events(console).build().detect(spec, options);
      } catch (io.s2i.engine.EngineUnavailableException e) {
        console.detail("No engine answered (" + e.getMessage() + "): only the builder catalogue is searched");
        return S2i.detect(spec, new DetectOptions(options.buildersFile(), false, options.strategy()), console);
      }
    }
  }
}
