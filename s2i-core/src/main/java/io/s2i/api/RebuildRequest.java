package io.s2i.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request to build an s2i-built image again from its labels ({@code s2i rebuild}): the same
 * builder, source location, context dir and scripts location, display name and description. The
 * recorded commit (not only its branch, as upstream) is checked out, so the rebuild is of the same
 * code.
 *
 * @param image the image built by s2i
 * @param pull pull policy of the image and of its builder
 * @param newTag where the result goes; empty replaces {@code image}
 * @param destination the directory inputs are unpacked into, when overridden
 * @param incremental set for an incremental rebuild (its previous image is the output's tag)
 * @param keepWorkspace keep the temporary working directory
 * @param callbackUrl where the result is POSTed when the build ends
 * @param runtimePull pull policy of the runtime image of an image made by an extended build,
 *     which is rebuilt extended with the runtime image, artifacts and user it records
 */
public record RebuildRequest(
    ImageRef image,
    PullPolicy pull,
    Optional<ImageRef> newTag,
    Optional<String> destination,
    Optional<IncrementalSpec> incremental,
    boolean keepWorkspace,
    Optional<URI> callbackUrl,
    PullPolicy runtimePull) {

  /**
   * Checks every rule.
   *
   * @throws IllegalArgumentException naming every violation
   */
  public RebuildRequest {
    pull = pull == null ? PullPolicy.IF_NOT_PRESENT : pull;
    newTag = newTag == null ? Optional.empty() : newTag;
    destination = destination == null ? Optional.empty() : destination.filter(d -> !d.isBlank());
    incremental = incremental == null ? Optional.empty() : incremental;
    callbackUrl = callbackUrl == null ? Optional.empty() : callbackUrl;
    runtimePull = runtimePull == null ? PullPolicy.IF_NOT_PRESENT : runtimePull;
    List<String> violations = violations(image, callbackUrl);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid rebuild request: " + String.join("; ", violations));
    }
  }

  /** Starts a request to rebuild {@code image}, with every default. */
  public static Builder builder(ImageRef image) {
    return new Builder(image);
  }

  private static List<String> violations(ImageRef image, Optional<URI> callbackUrl) {
    List<String> violations = new ArrayList<>();
    if (image == null) {
      violations.add("image is missing: give an image built by s2i");
    }
    RequestRules.callbackUrl(callbackUrl, violations);
    return violations;
  }

  /** Collects the parts of a rebuild request; {@link #build()} checks them. */
  public static final class Builder {
    private final ImageRef image;
    private PullPolicy pull = PullPolicy.IF_NOT_PRESENT;
    private ImageRef newTag;
    private String destination;
    private IncrementalSpec incremental;
    private boolean keepWorkspace;
    private URI callbackUrl;
    private PullPolicy runtimePull = PullPolicy.IF_NOT_PRESENT;

    private Builder(ImageRef image) {
      this.image = image;
    }

    /** Pull policy of the image and of its builder. */
    public Builder pull(PullPolicy policy) {
      this.pull = policy;
      return this;
    }

    /** Where the result goes, instead of replacing the image. */
    public Builder newTag(ImageRef tag) {
      this.newTag = tag;
      return this;
    }

    /** The directory inputs are unpacked into. */
    public Builder destination(String destination) {
      this.destination = destination;
      return this;
    }

    /** Makes the rebuild incremental. */
    public Builder incremental(IncrementalSpec incremental) {
      this.incremental = incremental;
      return this;
    }

    /** Keeps the temporary working directory. */
    public Builder keepWorkspace(boolean keep) {
      this.keepWorkspace = keep;
      return this;
    }

    /** Where the result is POSTed when the build ends. */
    public Builder callbackUrl(URI url) {
      this.callbackUrl = url;
      return this;
    }

    /** Pull policy of the runtime image, for an image made by an extended build. */
    public Builder runtimePull(PullPolicy policy) {
      this.runtimePull = policy;
      return this;
    }

    /** Checks every rule and reports all violations together. */
    public RebuildRequest build() throws InvalidBuildRequestException {
      List<String> violations = violations(image, Optional.ofNullable(callbackUrl));
      if (!violations.isEmpty()) {
        throw new InvalidBuildRequestException(violations);
      }
      return new RebuildRequest(image, pull, Optional.ofNullable(newTag), Optional.ofNullable(destination),
          Optional.ofNullable(incremental), keepWorkspace, Optional.ofNullable(callbackUrl), runtimePull);
    }
  }
}
