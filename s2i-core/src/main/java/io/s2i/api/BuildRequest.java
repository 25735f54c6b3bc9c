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
 * <p>Every request is valid: the canonical constructor checks every rule (single fields and rules
 * that span fields) and refuses an invalid one with an {@link IllegalArgumentException} listing
 * every violation; {@link #builder} reports the same violations as a checked
 * {@link InvalidBuildRequestException} ({@link FailureReason#INVALID_REQUEST}). Messages name the
 * fields as paths of this record ({@code scripts.scriptsUrl}, {@code callbackUrl}), so a front end
 * can word them for its users. Absent optional parts may be given as {@code null} (as a JSON
 * mapper does): they become their empty or default value.
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

  /** The violation of a request without source; a front end may word it for its users. */
  public static final String NO_SOURCE = "source.location is empty: give a directory or git URL";

  /** The violation of a request without builder image; a front end may word it for its users. */
  public static final String NO_BUILDER = "builderImage is missing: give the builder image";

  /**
   * Checks every rule.
   *
   * @throws IllegalArgumentException naming every violation (as {@link #builder}'s
   *     {@link InvalidBuildRequestException} does)
   */
  public BuildRequest {
    builderPull = builderPull == null ? PullPolicy.IF_NOT_PRESENT : builderPull;
    output = output != null ? output : new OutputTarget.EngineImage(tag == null ? Optional.empty() : tag);
    tag = tag == null ? output.engineTag() : tag;
    env = env == null ? List.of() : List.copyOf(env);
    scripts = scripts == null ? ScriptsSpec.defaults() : scripts;
    run = run == null ? RunOptions.defaults() : run;
    displayName = displayName == null ? Optional.empty() : displayName.filter(s -> !s.isEmpty());
    description = description == null ? Optional.empty() : description.filter(s -> !s.isEmpty());
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    incremental = incremental == null ? Optional.empty() : incremental;
    callbackUrl = callbackUrl == null ? Optional.empty() : callbackUrl;
    runtime = runtime == null ? Optional.empty() : runtime;
    sourceDateEpoch = sourceDateEpoch == null ? Optional.empty() : sourceDateEpoch;
    outputOptions = outputOptions == null ? OutputOptions.defaults() : outputOptions;
    List<String> violations = violations(source, builderImage, tag, scripts, labels, incremental,
        callbackUrl, runtime, output, sourceDateEpoch);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid build request: " + String.join("; ", violations));
    }
  }

  /** Starts a request for {@code source} built with {@code builderImage}. */
  public static Builder builder(SourceSpec source, ImageRef builderImage) {
    return new Builder(source, builderImage);
  }

  /** A builder holding every field of this request, to derive another request from it. */
  public Builder toBuilder() {
    Builder b = new Builder(source, builderImage)
        .builderPull(builderPull)
        .output(output)
        .env(env)
        .scripts(scripts)
        .run(run)
        .displayName(displayName.orElse(null))
        .description(description.orElse(null))
        .labels(labels)
        .keepWorkspace(keepWorkspace)
        .outputOptions(outputOptions);
    incremental.ifPresent(b::incremental);
    callbackUrl.ifPresent(b::callbackUrl);
    runtime.ifPresent(b::runtime);
    sourceDateEpoch.ifPresent(b::sourceDateEpoch);
    return b;
  }

  /** Every rule a request must follow; one sentence per broken rule, naming the fields. */
  private static List<String> violations(SourceSpec source, ImageRef builderImage,
      Optional<ImageRef> tag, ScriptsSpec scripts, Map<String, String> labels,
      Optional<IncrementalSpec> incremental, Optional<java.net.URI> callbackUrl,
      Optional<RuntimeImageSpec> runtime, OutputTarget output, Optional<java.time.Instant> sourceDateEpoch) {
    List<String> violations = new ArrayList<>();
    if (source == null || source.location().isBlank()) {
      violations.add(NO_SOURCE);
    }
    if (builderImage == null) {
      violations.add(NO_BUILDER);
    }
    if (labels.keySet().stream().anyMatch(String::isBlank)) {
      violations.add("label keys must not be empty");
    }
    if (incremental.isPresent() && incremental.get().previousImage().isEmpty() && tag.isEmpty()) {
      violations.add("an incremental build needs an output tag to find the previous image");
    }
    RequestRules.callbackUrl(callbackUrl, violations);
    RequestRules.scriptsUrl(scripts, violations);
    if (runtime.isPresent()) {
      for (PathMapping m : runtime.get().artifacts()) {
        String problem = RuntimeArtifactRules.check(m);
        if (problem != null) {
          violations.add(problem);
        }
      }
    }
    if (sourceDateEpoch.isPresent() && sourceDateEpoch.get().getEpochSecond() < 0) {
      violations.add("the source date epoch must not be before 1970");
    }
    if (output.isFile() && incremental.isPresent() && incremental.get().previousImage().isEmpty()) {
      violations.add("an incremental build cannot find its previous image in a file output:"
          + " write to an image name or give the previous image");
    }
    if (!tag.equals(output.engineTag())) {
      violations.add("tag " + tag.map(t -> "\"" + t + "\"").orElse("(none)")
          + " is not the engine tag of output " + output + ": set the image name through output");
    }
    return violations;
  }

  /**
   * Collects the parts of a request; {@link #build()} checks every rule and reports all
   * violations together. Optional parts left unset take their defaults.
   */
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

    /** When the builder image is pulled; by default only when the engine lacks it. */
    public Builder builderPull(PullPolicy policy) {
      this.builderPull = policy;
      return this;
    }

    /**
     * Names the output image in the engine (an {@link OutputTarget.EngineImage}); an
     * {@link #output} given as well wins.
     */
    public Builder tag(ImageRef tag) {
      this.tag = tag;
      return this;
    }

    /** Adds environment variables, after those added before. */
    public Builder env(List<EnvVar> vars) {
      this.env.addAll(vars);
      return this;
    }

    /** Where scripts come from and where inputs are unpacked. */
    public Builder scripts(ScriptsSpec scripts) {
      this.scripts = scripts;
      return this;
    }

    /** How build containers run. */
    public Builder run(RunOptions run) {
      this.run = run;
      return this;
    }

    /** The image's display name; null or empty for none. */
    public Builder displayName(String name) {
      this.displayName = name;
      return this;
    }

    /** The image's description; null or empty for none. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Adds labels written on the output. */
    public Builder labels(Map<String, String> labels) {
      this.labels.putAll(labels);
      return this;
    }

    /** Makes the build incremental. */
    public Builder incremental(IncrementalSpec incremental) {
      this.incremental = incremental;
      return this;
    }

    /** Keeps the temporary working directory after the build. */
    public Builder keepWorkspace(boolean keep) {
      this.keepWorkspace = keep;
      return this;
    }

    /** What the image keeps and whether an unchanged build may be skipped. */
    public Builder outputOptions(OutputOptions options) {
      this.outputOptions = options;
      return this;
    }

    /** Makes the build an extended one, with a runtime image. */
    public Builder runtime(RuntimeImageSpec runtime) {
      this.runtime = runtime;
      return this;
    }

    /** Where the result is POSTed when the build ends. */
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

    /** Checks every rule and reports all violations together. */
    public BuildRequest build() throws InvalidBuildRequestException {
      OutputTarget target = output != null ? output : new OutputTarget.EngineImage(Optional.ofNullable(tag));
      List<String> violations = violations(source, builderImage, target.engineTag(), scripts,
          labels, Optional.ofNullable(incremental), Optional.ofNullable(callbackUrl),
          Optional.ofNullable(runtime), target, Optional.ofNullable(sourceDateEpoch));
      if (!violations.isEmpty()) {
        throw new InvalidBuildRequestException(violations);
      }
      return new BuildRequest(
          source, builderImage, builderPull, target.engineTag(), env, scripts, run,
          Optional.ofNullable(displayName), Optional.ofNullable(description),
          labels, Optional.ofNullable(incremental), keepWorkspace, Optional.ofNullable(callbackUrl),
          Optional.ofNullable(runtime), target, Optional.ofNullable(sourceDateEpoch), outputOptions);
    }
  }
}
