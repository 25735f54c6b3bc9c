package io.s2i.cli.command;

import io.s2i.S2i;
import io.s2i.api.AllowedUids;
import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult;
import io.s2i.api.EnvVar;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.IncrementalSpec;
import io.s2i.api.OutputTarget;
import io.s2i.cli.console.ResultFiles;
import io.s2i.api.CredentialSource;
import java.time.Instant;
import io.s2i.api.PathMapping;
import io.s2i.api.PullPolicy;
import io.s2i.api.OutputOptions;
import io.s2i.api.RunOptions;
import io.s2i.api.RuntimeImageSpec;
import io.s2i.api.S2iException;
import io.s2i.api.ScriptsSpec;
import io.s2i.api.SourceSpec;
import io.s2i.cli.S2iCli;
import io.s2i.cli.console.ConsoleRenderer;
import io.s2i.cli.options.Converters;
import io.s2i.api.DockerfileRequest;
import io.s2i.cli.options.EngineOptions;
import io.s2i.cli.options.GlobalOptions;
import io.s2i.engine.ContainerEngine;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code s2i build <source> <image> [<tag>]}. */
@Command(
    name = "build",
    description = "Build a new image from source, with a builder image.",
    sortOptions = true)
public final class BuildCommand implements Callable<Integer>, Planned {
  @ParentCommand S2iCli root;
  @Spec CommandSpec spec;

  @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Parameters(index = "0", arity = "0..1", paramLabel = "<source>", description = "Local directory or git URL of the application source, an archive (unpacked) or a single file (a jar, an executable).")
  String source;

  @Parameters(index = "1", arity = "0..1", paramLabel = "<image>", description = "Builder image (with --detect: the output image's name).")
  String builder;

  @Parameters(index = "2", arity = "0..1", paramLabel = "<tag>", description = "Name of the output image.")
  String tag;

  @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", converter = Converters.Env.class,
      description = "Environment variable for the build and the image (repeatable).")
  List<EnvVar> env = new ArrayList<>();

  @Option(names = "--build-env", paramLabel = "NAME=VALUE", converter = Converters.Env.class,
      description = "Environment variable for the build's scripts only, never kept in the image nor in"
          + " .s2ifile (a token for a private package index; repeatable).")
  List<EnvVar> buildEnv = new ArrayList<>();

  @Option(names = {"-E", "--environment-file"}, paramLabel = "FILE", description = "File of NAME=VALUE lines added after -e.")
  Path environmentFile;

  @Option(names = {"-s", "--scripts-url"}, paramLabel = "URL", description = "Location of the s2i scripts: image://, file://, http(s)://.")
  String scriptsUrl;

  @Option(names = "--scripts", hidden = true, description = "DEPRECATED: use --scripts-url.")
  String deprecatedScripts;

  @Option(names = "--image-scripts-url", paramLabel = "URL", description = "Scripts location inside the image (for --as-dockerfile); default image:///usr/libexec/s2i.")
  String imageScriptsUrl = ScriptsSpec.DEFAULT_IMAGE_SCRIPTS_URL;

  @Option(names = {"-d", "--destination"}, paramLabel = "DIR", description = "Directory in the builder where sources and scripts are unpacked.")
  String destination;

  @Option(names = {"-l", "--location"}, hidden = true, description = "DEPRECATED: use --destination.")
  String deprecatedLocation;

  @Option(names = "--assemble-user", paramLabel = "USER", description = "User to run assemble as.")
  String assembleUser;

  @Option(names = {"-u", "--allowed-uids"}, paramLabel = "RANGES", converter = Converters.Uids.class,
      description = "Allowed user ids, e.g. 1-,1000-2000; named users are refused.")
  AllowedUids allowedUids = AllowedUids.any();

  @Option(names = "--exclude", paramLabel = "REGEX", description = "Paths to leave out; default '(^|/)\\.git(/|$)'; empty excludes nothing.")
  String exclude = SourceSpec.DEFAULT_EXCLUDE;

  @Option(names = {"-c", "--copy"}, description = "Copy a local git work tree as it is instead of cloning it.")
  boolean copy;

  @Option(names = "--keep-symlinks", description = "Keep symlinks in a local source instead of following them.")
  boolean keepSymlinks;

  @Option(names = {"-i", "--inject"}, paramLabel = "SRC:DST",
      description = "Make a host path visible during assemble; truncated afterwards (repeatable).")
  List<String> inject = new ArrayList<>();

  @Option(names = {"-v", "--volume"}, paramLabel = "HOST:CONTAINER[:ro]", converter = Converters.Volume.class,
      description = "Bind mount for the assemble container (repeatable).")
  List<String> volumes = new ArrayList<>();

  @Option(names = "--network", paramLabel = "MODE", description = "Network mode of build containers.")
  String network;

  @Option(names = "--add-host", paramLabel = "HOST:IP", converter = Converters.Host.class,
      description = "Extra /etc/hosts entry for build containers (repeatable).")
  List<String> addHosts = new ArrayList<>();

  @Option(names = "--cap-drop", paramLabel = "CAPS", split = ",", description = "Capabilities to drop from build containers.")
  List<String> capDrop = new ArrayList<>();

  @Option(names = "--assemble-timeout", paramLabel = "DURATION", converter = Converters.Timeout.class,
      description = "Stop assemble (and assemble-runtime) and fail (exit 13) after this long: 90m, 2h, 0 for no limit; default 1h.")
  java.time.Duration assembleTimeout = io.s2i.api.PhaseTimeouts.DEFAULT_ASSEMBLE;

  @Option(names = "--save-artifacts-timeout", paramLabel = "DURATION", converter = Converters.Timeout.class,
      description = "Stop save-artifacts and fail (exit 13) after this long: 30s, 10m, 0 for no limit; default 5m.")
  java.time.Duration saveArtifactsTimeout = io.s2i.api.PhaseTimeouts.DEFAULT_SAVE_ARTIFACTS;

  @Option(names = {"-p", "--pull-policy"}, paramLabel = "POLICY", converter = Converters.Pull.class,
      description = "Builder image pull policy: always, never, if-not-present (default).")
  PullPolicy pullPolicy = PullPolicy.IF_NOT_PRESENT;

  @Option(names = {"-q", "--quiet"}, description = "Hide the assemble script's stdout.")
  boolean quiet;

  @Option(names = {"-n", "--application-name"}, paramLabel = "NAME", description = "Display name of the image (io.k8s.display-name).")
  String applicationName;

  @Option(names = "--description", paramLabel = "TEXT", description = "Description of the image (io.k8s.description).")
  String description;

  @Option(names = "--label", paramLabel = "NAME=VALUE",
      description = "A label to write on the output image (repeatable; wins over generated ones).")
  java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();

  @Option(names = "--callback-url", paramLabel = "URL", description = "URL to POST the build result to.")
  String callbackUrl;

  @Option(names = "--run", description = "Run the image after a successful build.")
  boolean run;

  @Option(names = "--keep-inputs",
      description = "Keep the unpacked sources, scripts and artifacts (<destination>/src, scripts, artifacts) in the image, as upstream does.")
  boolean keepInputs;

  @Option(names = "--no-cache", description = "Build even when the image of the tag was built from the same inputs.")
  boolean noCache;

  @Option(names = "--save-temp-dir", description = "Keep the temporary working directory.")
  boolean saveTempDir;

  @Option(names = {"-r", "--ref"}, paramLabel = "REF", description = "Git ref to build.")
  String ref;

  @Option(names = "--context-dir", paramLabel = "DIR", description = "Sub-directory of the source that holds the application.")
  String contextDir;

  @Option(names = "--ignore-submodules", description = "Do not check out git submodules.")
  boolean ignoreSubmodules;

  @Option(names = "--incremental", description = "Restore artifacts saved from the previous image.")
  boolean incremental;

  @Option(names = "--incremental-pull-policy", paramLabel = "POLICY", converter = Converters.Pull.class,
      description = "Pull policy of the previous image.")
  PullPolicy incrementalPullPolicy = PullPolicy.IF_NOT_PRESENT;

  @Option(names = "--rm", description = "Remove the previous image after an incremental build.")
  boolean removePrevious;

  @Option(names = "--runtime-image", paramLabel = "IMAGE", description = "Image the artifacts are copied into (extended build).")
  String runtimeImage;

  @Option(names = {"-a", "--runtime-artifact"}, paramLabel = "SRC[:DST]", description = "Artifact copied from the builder into the runtime image.")
  List<String> runtimeArtifacts = new ArrayList<>();

  @Option(names = "--runtime-pull-policy", paramLabel = "POLICY", converter = Converters.Pull.class, description = "Pull policy of the runtime image.")
  PullPolicy runtimePullPolicy = PullPolicy.IF_NOT_PRESENT;

  @Option(names = "--assemble-runtime-user", paramLabel = "USER", description = "User to run assemble-runtime as.")
  String assembleRuntimeUser;

  @Option(names = "--as-dockerfile", paramLabel = "PATH", description = "Write a Dockerfile and its context instead of building.")
  String asDockerfile;

  @Option(names = "--use-config", description = "Restore and save the build configuration in .s2ifile.")
  boolean useConfig;

  @Option(names = "--dockercfg-path", paramLabel = "FILE",
      description = "Registry credentials file (Docker config.json), read before $DOCKER_CONFIG/config.json and ~/.docker/config.json.")
  String dockercfgPath;

  @Option(names = "--push", description = "Push the output image to its registry (also: a docker://REF output).")
  boolean push;

  @Option(names = "--digest-file", paramLabel = "FILE", description = "Write the pushed (or OCI layout) manifest digest to FILE.")
  Path digestFile;

  @Option(names = "--output-json", paramLabel = "FILE", description = "Write the build result as JSON to FILE.")
  Path outputJson;

  @Option(names = "--source-date-epoch", paramLabel = "SECONDS",
      description = "Make the image reproducible: clamp file times to and date the image at this Unix time (default: $SOURCE_DATE_EPOCH).")
  String sourceDateEpoch;

  @Option(names = "--detect",
      description = "Detect the builder image from the source (see s2i detect): s2i build <source> --detect [<tag>].")
  boolean detect;

  @picocli.CommandLine.Mixin io.s2i.cli.options.DetectionOptions detection;

  /** The labels that record the detection on the output (with --detect). */
  private java.util.Map<String, String> detectedLabels = java.util.Map.of();

  /** Set once {@code --use-config} values have been applied to this instance. */
  boolean configRestored;

  /** Set once {@code --detect} has chosen the builder; the request can then be planned. */
  private boolean detected;

  /**
   * What this build will do.
   *
   * @param detect with {@code --detect}, until the builder is detected: what detection reads (the
   *     request is then empty, and is planned once the builder is known)
   * @param request the build
   * @param dockerfile with {@code --as-dockerfile}: the Dockerfile to write instead of building
   * @param dockercfg {@code --dockercfg-path}
   * @param notices deprecation notes and warnings about flags, shown before anything runs
   */
  record Plan(GlobalOptions globals, Optional<Detecting> detect, Optional<BuildRequest> request,
      Optional<DockerfileRequest> dockerfile, Optional<Path> dockercfg, boolean quiet, Optional<Path> outputJson,
      Optional<Path> digestFile, boolean run, boolean useConfig, List<String> notices) {}

  /** What {@code --detect} reads: the source and the detection's options. */
  record Detecting(SourceSpec source, io.s2i.api.DetectOptions options) {}

  @Override
  public Integer call() throws Exception {
    if (useConfig && !configRestored) {
      BuildCommand restored = SavedConfig.restore(this, spec, Path.of(""),
          new ConsoleRenderer(System.err, root.logLevel, quiet));
      restored.configRestored = true;
      return restored.call();
    }
    Plan plan = plan();
    ConsoleRenderer console = new ConsoleRenderer(System.err, plan.globals().logLevel(), plan.quiet(),
        System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM")));
    if (plan.detect().isPresent()) {
      detectBuilder(plan.globals(), plan.detect().get(), console);
      plan = plan();
    }
    plan.notices().forEach(console::info);
    if (plan.useConfig()) {
      SavedConfig.save(spec, this, Path.of(""), console);
    }
    if (plan.dockerfile().isPresent()) {
      return DockerfileOutput.write(plan.globals().engine(), plan.dockerfile().get(), console);
    }
    BuildRequest request = plan.request().orElseThrow();
    CredentialSource credentials = io.s2i.cli.options.Credentials.source(plan.dockercfg());
    ResultFiles files = new ResultFiles(plan.outputJson().orElse(null), plan.digestFile().orElse(null));
    files.check();
    S2i.checkRequest(request); // before the engine: a bad path needs none to be found
    try (ContainerEngine engine = EngineOptions.open(plan.globals().engine(), console::debug)) {
      S2i s2i = S2i.builder().engine(engine).events(console).credentials(credentials).build();
      BuildResult result;
      try {
        result = s2i.build(request);
      } catch (S2iException e) {
        files.writeFailure(e);
        throw e;
      }
      files.writeSuccess(result);
      console.info("Build completed successfully");
      console.detail("Image " + result.imageId());
      result.digest().ifPresent(d -> System.out.println(d));
      if (plan.run()) {
        s2i.run(request.tag().map(ImageRef::toString).orElse(result.imageId()), request.run().capDrop());
      }
    }
    return 0;
  }

  @Override
  public Plan plan() throws S2iException {
    GlobalOptions globals = GlobalOptions.of(root);
    Optional<Path> dockercfg = io.s2i.cli.options.Credentials.dockercfgPath(dockercfgPath);
    if (detect && !detected) {
      return new Plan(globals, Optional.of(detecting()), Optional.empty(), Optional.empty(), dockercfg, quiet,
          Optional.ofNullable(outputJson), Optional.ofNullable(digestFile), run, useConfig, List.of());
    }
    if (!detect && detection.strategyGiven()) {
      throw usage("--strategy chooses how a detected builder is used: give it with --detect");
    }
    if (!detect && detection.buildersGiven()) {
      throw usage("--builders names the catalogue --detect chooses from: give it with --detect");
    }
    List<String> notices = new ArrayList<>();
    BuildRequest request = toRequest(notices);
    Optional<DockerfileRequest> dockerfile = asDockerfile == null ? Optional.empty()
        : Optional.of(DockerfileOutput.request(this, request));
    if (!incremental) {
      ineffective(notices, "--rm", "--incremental");
      ineffective(notices, "--incremental-pull-policy", "--incremental");
    }
    if (runtimeImage == null) {
      ineffective(notices, "--runtime-pull-policy", "--runtime-image");
      ineffective(notices, "--assemble-runtime-user", "--runtime-image");
    }
    return new Plan(globals, Optional.empty(), Optional.of(request), dockerfile, dockercfg, quiet,
        Optional.ofNullable(outputJson), Optional.ofNullable(digestFile), run, useConfig, List.copyOf(notices));
  }

  /** Warns that {@code option}, given without {@code needed}, does nothing (as upstream, it is accepted). */
  private void ineffective(List<String> notices, String option, String needed) {
    if (spec != null && spec.commandLine() != null && spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption(option)) {
      notices.add("WARNING: " + option + " has no effect without " + needed);
    }
  }

  /** {@code --detect}'s arguments, checked: {@code <source> [<tag>]}. */
  private Detecting detecting() throws S2iException {
    if (useConfig) {
      throw usage("--detect cannot be combined with --use-config: name the builder, or drop --use-config");
    }
    if (tag != null) {
      throw usage("with --detect, give only <source> [<tag>]: the builder image is detected, not named"
          + " (s2i build " + source + " --detect " + tag + ")");
    }
    if (source == null) {
      throw usage("s2i build --detect needs a source: s2i build <source> --detect [<tag>]");
    }
    SourceSpec sourceSpec = new SourceSpec(source, Optional.ofNullable(ref), Optional.ofNullable(contextDir),
        copy, keepSymlinks, exclude, ignoreSubmodules).withBinary(detection.binary(System.getenv()));
    return new Detecting(sourceSpec, detection.detectOptions(System.getenv(), true));
  }

  /**
   * {@code --detect}: the positional arguments are {@code <source> [<tag>]}, and the builder is the
   * one {@code s2i detect} chooses; its choice is recorded in the output's labels.
   */
  private void detectBuilder(GlobalOptions globals, Detecting detecting, ConsoleRenderer console) throws S2iException {
    io.s2i.api.Detection found = DetectCommand.EngineDetection.detect(globals.engine(), detecting.source(),
        detecting.options(), console);
    tag = builder;
    builder = found.requireBuilder();
    io.s2i.api.Detection.DetectedLanguage language = found.primary().orElseThrow();
    console.info("Detected " + language.language() + language.version().map(v -> " " + v).orElse("")
        + " (" + language.marker() + "); building with " + builder);
    console.detail(found.builder().orElseThrow().reason());
    detectedLabels = S2i.detectionLabels(found);
    detected = true;
  }

  private Optional<Instant> epoch() throws S2iException {
    String text = sourceDateEpoch != null ? sourceDateEpoch : System.getenv("SOURCE_DATE_EPOCH");
    String what = sourceDateEpoch != null ? "--source-date-epoch" : "SOURCE_DATE_EPOCH";
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      long seconds = Long.parseLong(text.strip());
      if (seconds < 0 || seconds > 253402300799L) {
        throw new NumberFormatException();
      }
      return Optional.of(Instant.ofEpochSecond(seconds));
    } catch (NumberFormatException e) {
      throw usage(what + " \"" + text + "\" is not a Unix time: give whole seconds since 1970, e.g. $(git log -1 --format=%ct)");
    }
  }

  private BuildRequest toRequest(List<String> notices) throws S2iException {
    if (source == null || builder == null) {
      throw usage("s2i build needs a source and a builder image: s2i build <source> <image> [<tag>],"
          + " or s2i build <source> --detect [<tag>] to detect the builder");
    }
    ImageRef builderRef = parseImage(builder, "builder image");
    OutputTarget output = null;
    if (tag != null && !tag.isEmpty()) {
      try {
        output = OutputTarget.parse(tag, push);
      } catch (IllegalArgumentException e) {
        throw usage("invalid tag \"" + tag + "\": " + e.getMessage());
      }
    } else if (push) {
      throw usage("--push needs an output image name: s2i build <source> <image> <registry/name:tag> --push");
    }
    if (run && output != null && output.isFile()) {
      throw usage("--run needs an image in the engine, not the file output \"" + tag + "\"");
    }
    if (digestFile != null && !(output instanceof OutputTarget.RegistryImage || output instanceof OutputTarget.OciLayout)) {
      throw usage("--digest-file needs a pushed image (--push or docker://REF) or an oci:DIR output");
    }
    for (EnvVar e : env) {
      if (e.value().contains(",") && e.value().contains("=")) {
        notices.add("DEPRECATED: Use multiple -e flags to specify multiple environment variables instead of comma (" + e.toEntry() + ")");
      }
    }
    List<EnvVar> allEnv = new ArrayList<>(env);
    if (environmentFile != null) {
      try {
        allEnv.addAll(EnvVar.parseEnvironmentFile(Files.readAllLines(environmentFile)));
      } catch (IOException e) {
        throw usage("cannot read environment file \"" + environmentFile + "\" (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "); give -E a readable file of NAME=VALUE lines");
      }
    }
    buildEnv.forEach(e -> allEnv.add(EnvVar.buildOnly(e.name(), e.value())));
    if (deprecatedScripts != null) {
      notices.add("DEPRECATED: Flag --scripts is deprecated, use --scripts-url instead");
      scriptsUrl = deprecatedScripts;
    }
    if (deprecatedLocation != null) {
      notices.add("DEPRECATED: Flag --location is deprecated, use --destination instead");
      destination = deprecatedLocation;
    }
    SourceSpec sourceSpec = new SourceSpec(source, Optional.ofNullable(ref), Optional.ofNullable(contextDir),
        copy, keepSymlinks, exclude, ignoreSubmodules).withBinary(detection.binary(System.getenv()));
    RunOptions runOptions = new RunOptions(Optional.ofNullable(assembleUser), allowedUids,
        Optional.ofNullable(network), capDrop, volumes, addHosts,
        mappings(inject, "--inject"), new io.s2i.api.PhaseTimeouts(saveArtifactsTimeout, assembleTimeout));
    BuildRequest.Builder b = BuildRequest.builder(sourceSpec, builderRef)
        .builderPull(pullPolicy)
        .output(output != null ? output : new OutputTarget.EngineImage(Optional.empty()))
        .env(allEnv)
        .scripts(new ScriptsSpec(Optional.ofNullable(scriptsUrl), Optional.ofNullable(imageScriptsUrl),
            Optional.ofNullable(destination)))
        .run(runOptions)
        .displayName(applicationName)
        .description(description)
        .labels(detectedLabels)
        .labels(labels)
        .keepWorkspace(saveTempDir)
        .outputOptions(new OutputOptions(keepInputs, !noCache));
    if (incremental) {
      b.incremental(new IncrementalSpec(Optional.empty(), incrementalPullPolicy, removePrevious));
    }
    if (runtimeImage != null) {
      b.runtime(new RuntimeImageSpec(parseImage(runtimeImage, "runtime image"), runtimePullPolicy,
          mappings(runtimeArtifacts, "--runtime-artifact"), Optional.ofNullable(assembleRuntimeUser)));
    } else if (!runtimeArtifacts.isEmpty()) {
      throw usage("--runtime-artifact needs --runtime-image");
    }
    epoch().ifPresent(b::sourceDateEpoch);
    if (callbackUrl != null) {
      try {
        b.callbackUrl(new URI(callbackUrl));
      } catch (URISyntaxException e) {
        throw usage("invalid --callback-url \"" + callbackUrl + "\": " + e.getReason());
      }
    }
    return b.build();
  }

  private static List<PathMapping> mappings(List<String> values, String flag) throws S2iException {
    List<PathMapping> all = new ArrayList<>();
    for (String value : values) {
      try {
        all.addAll(PathMapping.parseList(value));
      } catch (IllegalArgumentException e) {
        throw usage("invalid " + flag + ": " + e.getMessage());
      }
    }
    return all;
  }

  /** An image to read from: a reference, or oci:DIR[:TAG] or docker-archive:FILE. */
  private static ImageRef parseImage(String text, String what) throws S2iException {
    try {
      return ImageRef.parseSource(text);
    } catch (IllegalArgumentException e) {
      throw usage("invalid " + what + " \"" + text + "\": " + e.getMessage());
    }
  }

  private static S2iException usage(String message) {
    return new S2iException(FailureReason.INVALID_REQUEST, message, null);
  }
}
