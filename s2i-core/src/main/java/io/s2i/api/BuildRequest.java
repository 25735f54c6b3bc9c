package io.s2i.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the user asked to build, and nothing else: pure data with no paths to temporary files,
 * streams or services, so that a build service can store and replay it.
 *
 * @param source where the application source comes from
 * @param builderImage the builder image
 * @param builderPull pull policy for the builder image
 * @param tag the output image name; empty gives an untagged image
 * @param env build and runtime environment ({@code -e} then {@code -E} entries)
 * @param scripts scripts locations and destination
 * @param run how build containers run
 * @param displayName value of {@code io.k8s.display-name}; defaults to the tag
 * @param description value of {@code io.k8s.description}
 * @param labels extra labels written on the output (override generated ones)
 * @param incremental set for an incremental build
 * @param keepWorkspace keep the temporary working directory ({@code --save-temp-dir})
 * @param callbackUrl where the result is POSTed when the build ends
 * @param runtime set for an extended build with a runtime image
 * @param output where the image goes; its engine tag is {@code tag}
 * @param sourceDateEpoch when set, the output is made reproducible: file times are clamped to it
 *     and it is the image's creation time ({@code SOURCE_DATE_EPOCH})
 * @param outputOptions what the image keeps, and whether an unchanged build may be skipped
 */
public record BuildRequest(
    SourceSpec source,
    ImageRef builderImage,
    PullPolicy builderPull,
    Optional<ImageRef> tag,
    List<EnvVar> env,
    ScriptsSpec scripts,
    RunOptions run,
    Optional<String> displayName,
    Optional<String> description,
    Map<String, String> labels,
    Optional<IncrementalSpec> incremental,
    boolean keepWorkspace,
    Optional<java.net.URI> callbackUrl,
    Optional<RuntimeImageSpec> runtime,
    OutputTarget output,
    Optional<java.time.Instant> sourceDateEpoch,
    OutputOptions outputOptions) {

  public BuildRequest {
    env = List.copyOf(env);
    labels = Map.copyOf(labels);
  }

  /** A request that leaves the image in the engine and is not made reproducible. */
  public BuildRequest(
      SourceSpec source,
      ImageRef builderImage,
      PullPolicy builderPull,
      Optional<ImageRef> tag,
      List<EnvVar> env,
      ScriptsSpec scripts,
      RunOptions run,
      Optional<String> displayName,
      Optional<String> description,
      Map<String, String> labels,
      Optional<IncrementalSpec> incremental,
      boolean keepWorkspace,
      Optional<java.net.URI> callbackUrl) {
    this(source, builderImage, builderPull, tag, env, scripts, run, displayName, description, labels,
        incremental, keepWorkspace, callbackUrl, Optional.empty(), new OutputTarget.EngineImage(tag),
        Optional.empty(), OutputOptions.defaults());
  }

  /** How many bytes an image's labels (keys and values) may take, as upstream limits them. */
  public static final int MAX_LABEL_BYTES = 10240;

  /** Starts a request for {@code source} built with {@code builderImage}. */
  public static Builder builder(SourceSpec source, ImageRef builderImage) {
    return new Builder(source, builderImage);
  }

  /** Collects the optional parts of a request; {@link #build()} checks the rules across fields. */
  public static final class Builder {
    private final SourceSpec source;
    private final ImageRef builderImage;
    private PullPolicy builderPull = PullPolicy.IF_NOT_PRESENT;
    private ImageRef tag;
    private final List<EnvVar> env = new ArrayList<>();
    private ScriptsSpec scripts = ScriptsSpec.defaults();
    private RunOptions run = RunOptions.defaults();
    private String displayName;
    private String description;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private IncrementalSpec incremental;
    private boolean keepWorkspace;
    private java.net.URI callbackUrl;
    private RuntimeImageSpec runtime;
    private OutputOptions outputOptions = OutputOptions.defaults();
    private OutputTarget output;
    private java.time.Instant sourceDateEpoch;

    private Builder(SourceSpec source, ImageRef builderImage) {
      this.source = source;
      this.builderImage = builderImage;
    }

    public Builder builderPull(PullPolicy policy) {
      this.builderPull = policy;
      return this;
    }

    public Builder tag(ImageRef tag) {
      this.tag = tag;
      return this;
    }

    public Builder env(List<EnvVar> vars) {
      this.env.addAll(vars);
      return this;
    }

    public Builder scripts(ScriptsSpec scripts) {
      this.scripts = scripts;
      return this;
    }

    public Builder run(RunOptions run) {
      this.run = run;
      return this;
    }

    public Builder displayName(String name) {
      this.displayName = name;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels.putAll(labels);
      return this;
    }

    public Builder incremental(IncrementalSpec incremental) {
      this.incremental = incremental;
      return this;
    }

    public Builder keepWorkspace(boolean keep) {
      this.keepWorkspace = keep;
      return this;
    }

    public Builder outputOptions(OutputOptions options) {
      this.outputOptions = options;
      return this;
    }

    public Builder runtime(RuntimeImageSpec runtime) {
      this.runtime = runtime;
      return this;
    }

    public Builder callbackUrl(java.net.URI url) {
      this.callbackUrl = url;
      return this;
    }

    /**
     * Sets where the image goes. Engine and registry targets also set the tag; file targets leave
     * the image untagged in the engine.
     */
    public Builder output(OutputTarget output) {
      this.output = output;
      this.tag = output.engineTag().orElse(null);
      return this;
    }

    /** Makes the output reproducible with this time as {@code SOURCE_DATE_EPOCH}. */
    public Builder sourceDateEpoch(java.time.Instant epoch) {
      this.sourceDateEpoch = epoch;
      return this;
    }

    /** The bytes the requested labels will take on the image, at least (as upstream counts them). */
    private int labelBytes() {
      int bytes = 0;
      if (description != null && !description.isEmpty()) {
        bytes += "io.k8s.description".length() + utf8(description);
      }
      if (displayName != null && !displayName.isEmpty()) {
        bytes += "io.k8s.display-name".length() + utf8(displayName);
      }
      for (Map.Entry<String, String> e : labels.entrySet()) {
        bytes += utf8(e.getKey()) + utf8(e.getValue());
      }
      return bytes;
    }

    private static int utf8(String s) {
      return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** Checks every rule that spans fields and reports all violations together. */
    public BuildRequest build() throws InvalidBuildRequestException {
      List<String> violations = new ArrayList<>();
      if (source == null || source.location().isBlank()) {
        violations.add("no source given: pass a directory or git URL as the first argument");
      }
      if (builderImage == null) {
        violations.add("no builder image given: pass it as the second argument");
      }
      if (labels.keySet().stream().anyMatch(String::isBlank)) {
        violations.add("label keys must not be empty");
      }
      if (incremental != null && incremental.previousImage().isEmpty() && tag == null) {
        violations.add("an incremental build needs an output tag to find the previous image");
      }
      if (callbackUrl != null && !(callbackUrl.getScheme() != null
          && (callbackUrl.getScheme().equals("http") || callbackUrl.getScheme().equals("https")))) {
        violations.add("--callback-url must be an http:// or https:// URL, got \"" + callbackUrl + "\"");
      }
      String scriptsUrl = scripts.scriptsUrl().orElse(null);
      if (scriptsUrl != null && !scriptsUrl.matches("(?i)(image|file|https?)://.*")) {
        violations.add("--scripts-url \"" + scriptsUrl
            + "\" has an unknown scheme: use image://, file://, http:// or https://");
      }
      if (runtime != null) {
        for (PathMapping m : runtime.artifacts()) {
          String problem = RuntimeArtifactRules.check(m);
          if (problem != null) {
            violations.add(problem);
          }
        }
      }
      for (String cap : run.capDrop()) {
        if (LinuxCapabilities.canonical(cap).isEmpty()) {
          violations.add("run.capDrop names an unknown capability \"" + cap + "\": use Linux capability"
              + " names such as NET_RAW or CAP_NET_RAW, or ALL");
        }
      }
      for (String volume : run.volumes()) {
        String problem = VolumeSpecs.check(volume);
        if (problem != null) {
          violations.add(problem);
        }
      }
      scripts.destination().filter(d -> !d.startsWith("/")).ifPresent(d -> violations.add(
          "scripts.destination \"" + d + "\" is not an absolute path: the sources are unpacked at an"
              + " absolute path of the builder, such as /tmp"));
      ImageRef outputTag = output != null ? output.engineTag().orElse(null) : tag;
      if (output instanceof OutputTarget.DockerArchive archive && archive.tag().isPresent()) {
        outputTag = archive.tag().get();
      }
      if (outputTag != null && outputTag.digest().isPresent()) {
        violations.add("the output \"" + outputTag + "\" names a digest, which only a registry gives an"
            + " image: name the output name:tag");
      }
      int labelBytes = labelBytes();
      if (labelBytes > MAX_LABEL_BYTES) {
        violations.add("the description, display name and labels take " + labelBytes + " bytes, over the "
            + MAX_LABEL_BYTES + " bytes an image's labels may take: shorten them");
      }
      if (sourceDateEpoch != null && sourceDateEpoch.getEpochSecond() < 0) {
        violations.add("the source date epoch must not be before 1970");
      }
      if (output != null && output.isFile() && incremental != null
          && incremental.previousImage().isEmpty()) {
        violations.add("an incremental build cannot find its previous image in a file output:"
            + " write to an image name or give the previous image");
      }
      if (!violations.isEmpty()) {
        throw new InvalidBuildRequestException(violations);
      }
      OutputTarget target = output != null ? output : new OutputTarget.EngineImage(Optional.ofNullable(tag));
      return new BuildRequest(
          source, builderImage, builderPull, target.engineTag(), env, scripts, run,
          Optional.ofNullable(displayName).filter(s -> !s.isEmpty()),
          Optional.ofNullable(description).filter(s -> !s.isEmpty()),
          labels, Optional.ofNullable(incremental), keepWorkspace, Optional.ofNullable(callbackUrl),
          Optional.ofNullable(runtime), target, Optional.ofNullable(sourceDateEpoch), outputOptions);
    }
  }
}
