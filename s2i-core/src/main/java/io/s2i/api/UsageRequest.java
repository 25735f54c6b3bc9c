package io.s2i.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A request to show a builder image's usage ({@code s2i usage}): its {@code usage} script runs
 * the way {@code assemble} would, with no source, and nothing is committed.
 *
 * @param builderImage the builder image
 * @param builderPull its pull policy
 * @param scripts where the {@code usage} script comes from ({@code scriptsUrl}, else the image's
 *     label) and where inputs are unpacked ({@code destination})
 * @param run how the container runs; only {@code network} and {@code capDrop} apply
 * @param keepWorkspace keep the temporary working directory
 */
public record UsageRequest(
    ImageRef builderImage, PullPolicy builderPull, ScriptsSpec scripts, RunOptions run, boolean keepWorkspace) {

  /**
   * Checks every rule.
   *
   * @throws IllegalArgumentException naming every violation
   */
  public UsageRequest {
    builderPull = builderPull == null ? PullPolicy.IF_NOT_PRESENT : builderPull;
    scripts = scripts == null ? ScriptsSpec.defaults() : scripts;
    run = run == null ? RunOptions.defaults() : run;
    List<String> violations = violations(builderImage, scripts);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid usage request: " + String.join("; ", violations));
    }
  }

  /** Starts a request for {@code builderImage} with every default. */
  public static Builder builder(ImageRef builderImage) {
    return new Builder(builderImage);
  }

  private static List<String> violations(ImageRef builderImage, ScriptsSpec scripts) {
    List<String> violations = new ArrayList<>();
    if (builderImage == null) {
      violations.add(BuildRequest.NO_BUILDER);
    }
    RequestRules.scriptsUrl(scripts, violations);
    return violations;
  }

  /** Collects the parts of a usage request; {@link #build()} checks them. */
  public static final class Builder {
    private final ImageRef builderImage;
    private PullPolicy builderPull = PullPolicy.IF_NOT_PRESENT;
    private ScriptsSpec scripts = ScriptsSpec.defaults();
    private RunOptions run = RunOptions.defaults();
    private boolean keepWorkspace;

    private Builder(ImageRef builderImage) {
      this.builderImage = builderImage;
    }

    /** When the builder image is pulled. */
    public Builder builderPull(PullPolicy policy) {
      this.builderPull = policy;
      return this;
    }

    /** Where the usage script comes from and where inputs are unpacked. */
    public Builder scripts(ScriptsSpec scripts) {
      this.scripts = scripts;
      return this;
    }

    /** How the container runs ({@code network}, {@code capDrop}). */
    public Builder run(RunOptions run) {
      this.run = run;
      return this;
    }

    /** Keeps the temporary working directory. */
    public Builder keepWorkspace(boolean keep) {
      this.keepWorkspace = keep;
      return this;
    }

    /** Checks every rule and reports all violations together. */
    public UsageRequest build() throws InvalidBuildRequestException {
      List<String> violations = violations(builderImage, scripts == null ? ScriptsSpec.defaults() : scripts);
      if (!violations.isEmpty()) {
        throw new InvalidBuildRequestException(violations);
      }
      return new UsageRequest(builderImage, builderPull, scripts, run, keepWorkspace);
    }
  }
}
