package io.s2i.service.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A build configuration: what to build, how, where the image goes, what starts it and how its
 * builds may overlap. The service's own vocabulary, with OpenShift's names where they fit;
 * {@link io.s2i.service.openshift.OpenShiftBuildConfigReader} reads OpenShift's YAML into it.
 *
 * @param name unique name (lower case letters, digits and dashes; builds are named {@code name-N})
 * @param source where the source comes from
 * @param strategy how it is built
 * @param output where the image goes
 * @param triggers what starts builds (stored and shown; webhooks and image changes fire them)
 * @param runPolicy how builds of this configuration overlap
 * @param successfulBuildsHistoryLimit how many completed builds are kept (default 5)
 * @param failedBuildsHistoryLimit how many failed, errored or cancelled builds are kept (default 5)
 * @param status set by the server; ignored on input
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildConfig(
    String name,
    Source source,
    Strategy strategy,
    Output output,
    List<Trigger> triggers,
    RunPolicy runPolicy,
    Integer successfulBuildsHistoryLimit,
    Integer failedBuildsHistoryLimit,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) Status status) {

  /** The default of both history limits, as OpenShift's. */
  public static final int DEFAULT_HISTORY_LIMIT = 5;

  /** Kinds of source. */
  public enum SourceType { Git, Binary }

  /** Kinds of strategy. */
  public enum StrategyType { Source, Docker }

  /** Pull policies of the builder and runtime images. */
  public enum PullPolicy { Always, IfNotPresent, Never }

  /** Kinds of trigger (OpenShift's). */
  public enum TriggerType { GitHub, GitLab, Bitbucket, Generic, ImageChange, ConfigChange }

  /**
   * Where the source comes from.
   *
   * @param type {@code Git} or {@code Binary} (uploaded with each start-build)
   * @param git the repository, for {@code Git}
   * @param contextDir the sub-directory that holds the application
   * @param binary how an upload is used, for {@code Binary}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(SourceType type, Git git, String contextDir, Binary binary) {}

  /**
   * A git repository.
   *
   * @param uri clone URL
   * @param ref branch, tag or commit; empty for the default branch
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Git(String uri, String ref) {}

  /**
   * Binary input.
   *
   * @param asFile when set, an uploaded file is placed in the source directory under this name
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Binary(String asFile) {}

  /**
   * How the image is built.
   *
   * @param type {@code Source} (s2i with a builder image) or {@code Docker} (the source's Dockerfile)
   * @param builderImage the builder image, for {@code Source}
   * @param detect pick the builder by detecting the source's language (instead of builderImage)
   * @param env environment of the build (and the image)
   * @param incremental restore artifacts of the previous image
   * @param forcePull always pull the builder (same as pullPolicy Always)
   * @param pullPolicy pull policy of the builder and runtime images (default IfNotPresent)
   * @param scriptsUrl where the s2i scripts come from, if not the image
   * @param runtimeImage image the artifacts are copied into (extended build)
   * @param runtimeArtifacts what is copied into the runtime image
   * @param dockerfilePath the Dockerfile, relative to the context dir, for {@code Docker}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Strategy(
      StrategyType type,
      String builderImage,
      Boolean detect,
      List<EnvEntry> env,
      Boolean incremental,
      Boolean forcePull,
      PullPolicy pullPolicy,
      String scriptsUrl,
      String runtimeImage,
      List<Artifact> runtimeArtifacts,
      String dockerfilePath) {}

  /**
   * One runtime artifact mapping.
   *
   * @param source absolute path in the builder
   * @param destination directory relative to the runtime image's working dir
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Artifact(String source, String destination) {}

  /**
   * Where the image goes.
   *
   * @param image the image name
   * @param push push it to its registry
   * @param credentials registry credentials for the push; the password is a secret
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Output(String image, Boolean push, Credentials credentials) {}

  /**
   * Registry credentials.
   *
   * @param username the user
   * @param password the password or token (never shown)
   */
  public record Credentials(String username, String password) {}

  /**
   * One trigger. Stored and shown; the triggers issue makes them fire.
   *
   * @param type the kind
   * @param secret the webhook secret (never shown)
   * @param allowEnv for {@code Generic}: whether the payload may set env
   * @param from for {@code ImageChange}: the image followed; empty follows the builder
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Trigger(TriggerType type, String secret, Boolean allowEnv, String from) {}

  /**
   * What the server records about a configuration.
   *
   * @param lastVersion number of the last build started
   * @param createdAt when it was created
   * @param updatedAt when it was last changed
   */
  public record Status(long lastVersion, Instant createdAt, Instant updatedAt) {}

  /** This configuration with the server's status. */
  public BuildConfig withStatus(Status newStatus) {
    return new BuildConfig(name, source, strategy, output, triggers, runPolicy,
        successfulBuildsHistoryLimit, failedBuildsHistoryLimit, newStatus);
  }

  /** The run policy, Serial when not set. */
  public RunPolicy effectiveRunPolicy() {
    return runPolicy == null ? RunPolicy.Serial : runPolicy;
  }

  /** Every secret value this configuration holds (env marked secret, credentials, webhook secrets). */
  public List<String> secrets() {
    java.util.ArrayList<String> all = new java.util.ArrayList<>();
    if (strategy != null && strategy.env() != null) {
      strategy.env().stream().filter(EnvEntry::secret).map(EnvEntry::value).forEach(all::add);
    }
    if (output != null && output.credentials() != null && output.credentials().password() != null) {
      all.add(output.credentials().password());
    }
    if (triggers != null) {
      triggers.stream().map(Trigger::secret).filter(java.util.Objects::nonNull).forEach(all::add);
    }
    all.removeIf(s -> s == null || s.isEmpty() || s.equals(EnvEntry.MASK));
    return all;
  }
}
