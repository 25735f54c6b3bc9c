package io.s2i;

import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.PullPolicy;
import io.s2i.api.S2iException;
import io.s2i.internal.archive.FileHashCache;
import io.s2i.internal.build.BuildSession;
import io.s2i.internal.build.CallbackNotifier;
import io.s2i.internal.build.RegistryAwareEngine;
import io.s2i.internal.build.step.FetchSourceStep;
import io.s2i.internal.build.step.InspectBuilderStep;
import io.s2i.internal.build.step.PublishImageStep;
import io.s2i.internal.build.step.SourceDigestPrefetch;
import io.s2i.internal.build.strategy.StrategySelector;
import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.internal.registry.TransferRetry;
import io.s2i.internal.registry.RegistryAccess;
import io.s2i.internal.registry.auth.CredentialResolver;
import io.s2i.engine.ContainerEngine;
import io.s2i.internal.scripts.ScriptDownloader;
import io.s2i.internal.source.PreparedSource;
import java.util.Objects;
import java.util.Optional;

/**
 * The library's entry point: builds images from source with a builder image.
 *
 * <pre>{@code
 * S2i s2i = S2i.builder().engine(engine).events(sink).build();
 * BuildResult result = s2i.build(request);
 * }</pre>
 *
 * <p>The library never prints and never exits: it reports through the {@link EventSink} and
 * throws {@link S2iException}s that carry a reason and a suggested fix.
 */
public final class S2i {
  private final ContainerEngine engine;
  private final EventSink events;
  private final ScriptDownloader downloader;
  private final CredentialResolver credentials;

  private S2i(Builder b) {
    this.credentials = b.credentials;
    this.engine = Objects.requireNonNull(b.engine, "engine");
    this.events = b.events;
    this.downloader = b.downloader;
  }

  /** Starts configuring an instance. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs one build. Every container, temporary image and directory the build made is removed
   * before this returns, whether it succeeds, fails or is interrupted.
   */
  public BuildResult build(BuildRequest request) throws S2iException {
    BuildResult result = null;
    PublishImageStep.preflight(request);
    RegistryAccess registries = new RegistryAccess(credentials, events);
    ContainerEngine pulling = new RegistryAwareEngine(engine, registries, events);
    try (BuildSession session = BuildSession.open(request, pulling, events)) {
      session.prefetchSource(() -> {
        PreparedSource source = new FetchSourceStep(events, session.workspace(),
            session.sourceFetchCancelled()).run(request.source());
        if (request.tag().isPresent()) {
          FileHashCache.preload(source.root()); // for the inputs digest of a tagged build
          SourceDigestPrefetch.scan(request, source, pulling.images(), session.workspace().root(),
              session.sourceFetchCancelled()).ifPresent(session::scannedSource);
        }
        return source;
      });
      BuilderImageContract builder = session.step("PullBuilderImage",
          () -> new InspectBuilderStep(pulling.images(), events).run(request));
      BuildResult built = StrategySelector.select(builder, downloader).execute(session, builder);
      BuildResult published = session.step("PublishImage", () -> new PublishImageStep(
          engine.images(), registries, events, TransferRetry.standard())
          .run(request, built, session.workspace()));
      result = published.withSteps(session.timings());
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new S2iException(FailureReason.INTERRUPTED, "build interrupted", null, e);
    } finally {
      if (request.callbackUrl().isPresent() && !Thread.currentThread().isInterrupted()) {
        new CallbackNotifier(events).notify(request.callbackUrl().get(), result != null,
            Optional.ofNullable(result).map(BuildResult::labels));
      }
    }
  }

  /**
   * The request that rebuilds {@code image} from its labels ({@code s2i rebuild}): same builder,
   * source, context dir and scripts location, display name and description; the recorded commit
   * (not just its branch, as upstream) is checked out so that the rebuild is of the same code. The
   * output goes to {@code newTag}, or replaces {@code image}. The caller may add options (callback,
   * workspace) before building it.
   */
  public BuildRequest.Builder rebuildRequest(ImageRef image, PullPolicy pull, Optional<ImageRef> newTag,
      Optional<String> destination) throws S2iException {
    io.s2i.engine.ImageInfo info = engine.images().ensure(image.withDefaultTag(), pull);
    io.s2i.internal.contract.BuildProvenance from =
        io.s2i.internal.contract.BuildProvenance.fromLabels(image.toString(), info.labels());
    ImageRef builder;
    try {
      builder = ImageRef.parse(from.builderImage());
    } catch (IllegalArgumentException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "the builder recorded in " + image
          + " is not an image name: " + e.getMessage(), "build the image again with s2i build", e);
    }
    Optional<String> ref = from.commitId().or(from::commitRef).filter(r -> !r.equals("HEAD"));
    io.s2i.api.SourceSpec source = new io.s2i.api.SourceSpec(from.sourceLocation(), ref,
        from.contextDir(), false, false, io.s2i.api.SourceSpec.DEFAULT_EXCLUDE, false);
    events.detail("Rebuilding " + image + " from " + from.sourceLocation()
        + ref.map(r -> " at " + r).orElse("") + " with " + builder);
    BuildRequest.Builder request = BuildRequest.builder(source, builder)
        .builderPull(pull)
        .tag(newTag.orElse(image))
        .scripts(new io.s2i.api.ScriptsSpec(from.scriptsUrl(), Optional.empty(), destination));
    from.displayName().ifPresent(request::displayName);
    from.description().ifPresent(request::description);
    return request;
  }

  /**
   * Writes a Dockerfile and its build context instead of building ({@code --as-dockerfile},
   * {@code s2i generate}). Needs no engine: when one is given and has the builder (or runtime)
   * image, that image's labels are read.
   *
   * @return the Dockerfile written
   */
  public static java.nio.file.Path writeDockerfile(io.s2i.internal.build.strategy.DockerfileRequest request,
      Optional<ContainerEngine> engine, EventSink events) throws S2iException {
    return new io.s2i.internal.build.strategy.DockerfileStrategy(engine, events, new ScriptDownloader()).execute(request);
  }

  /**
   * Runs the builder's {@code usage} script and shows its output ({@code s2i usage}). Only the
   * builder image, its pull policy, {@code scripts} and {@code run.network/capDrop} are used; no
   * image is committed and no container is left.
   */
  public void usage(ImageRef builderImage, PullPolicy pull, io.s2i.api.ScriptsSpec scripts,
      io.s2i.api.RunOptions run, boolean keepWorkspace) throws S2iException {
    BuildRequest request = new BuildRequest(io.s2i.api.SourceSpec.local(""), builderImage, pull,
        Optional.empty(), java.util.List.of(), scripts, run, Optional.empty(), Optional.empty(),
        java.util.Map.of(), Optional.empty(), keepWorkspace, Optional.empty());
    try (BuildSession session = BuildSession.open(request, engine, events)) {
      new io.s2i.internal.build.strategy.UsageStrategy(downloader).execute(session);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new S2iException(FailureReason.INTERRUPTED, "usage interrupted", null, e);
    }
  }

  /**
   * Runs a built image with its own command until it exits ({@code --run}); the container is
   * removed afterwards, also when interrupted.
   */
  public void run(String image, java.util.List<String> capDrop) throws S2iException {
    try {
      new io.s2i.internal.build.ImageRunner(engine, events).run(image, capDrop);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new S2iException(FailureReason.INTERRUPTED, "run interrupted", null, e);
    }
  }

  /**
   * Finds what {@code source} is (a directory, a git repository, an archive or a single file),
   * the languages it uses with the versions it asks for, its strategy and the builder image that
   * builds it: from the catalogue ({@code options.buildersFile()}, else the one shipped with s2i)
   * and the builder images this instance's engine has. Nothing is left behind; no image is
   * pulled. A source in which nothing was found, or for which no single builder fits, gives a
   * {@link io.s2i.api.Detection} with a {@code problem}: {@link io.s2i.api.Detection#requireBuilder()}
   * turns it into the error.
   */
  public io.s2i.api.Detection detect(io.s2i.api.SourceSpec source, io.s2i.api.DetectOptions options)
      throws S2iException {
    return new io.s2i.internal.detect.SourceDetector(events, Optional.of(engine)).detect(source, options);
  }

  /** {@link #detect} with no engine: the catalogue alone is searched. */
  public static io.s2i.api.Detection detect(io.s2i.api.SourceSpec source, io.s2i.api.DetectOptions options,
      EventSink events) throws S2iException {
    return new io.s2i.internal.detect.SourceDetector(events, Optional.empty()).detect(source, options);
  }

  /**
   * The labels that record a detection on the image built with its builder: the language, its
   * version, the file that proved it, the builder and why it was chosen. Add them to the request's
   * {@code labels}.
   */
  public static java.util.Map<String, String> detectionLabels(io.s2i.api.Detection detection) {
    return io.s2i.internal.detect.SourceDetector.labels(detection);
  }

  /** Configures an {@link S2i}. */
  public static final class Builder {
    private ContainerEngine engine;
    private EventSink events = EventSink.discard();
    private ScriptDownloader downloader = new ScriptDownloader();
    private CredentialResolver credentials =
        CredentialResolver.dockerConfig(Optional.empty(), System.getenv());

    /**
     * Where registry credentials come from; by default Docker's {@code $DOCKER_CONFIG/config.json}
     * and {@code ~/.docker/config.json}.
     */
    public Builder credentials(CredentialResolver credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder engine(ContainerEngine engine) {
      this.engine = engine;
      return this;
    }

    public Builder events(EventSink events) {
      this.events = events;
      return this;
    }

    public Builder scriptDownloader(ScriptDownloader downloader) {
      this.downloader = downloader;
      return this;
    }

    public S2i build() {
      return new S2i(this);
    }
  }
}
