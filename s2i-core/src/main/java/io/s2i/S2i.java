package io.s2i;

import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult;
import io.s2i.api.CredentialSource;
import io.s2i.api.DockerfileRequest;
import io.s2i.api.DockerfileResult;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.RebuildRequest;
import io.s2i.api.S2iException;
import io.s2i.api.UsageRequest;
import io.s2i.api.UsageResult;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ImageInfo;
import io.s2i.internal.archive.FileHashCache;
import io.s2i.internal.build.BuildSession;
import io.s2i.internal.build.CallbackNotifier;
import io.s2i.internal.build.ImageRunner;
import io.s2i.internal.build.RebuildRequests;
import io.s2i.internal.build.RegistryAwareEngine;
import io.s2i.internal.build.step.FetchSourceStep;
import io.s2i.internal.build.step.InspectBuilderStep;
import io.s2i.internal.build.step.PublishImageStep;
import io.s2i.internal.build.step.SourceDigestPrefetch;
import io.s2i.internal.build.strategy.DockerfileStrategy;
import io.s2i.internal.build.strategy.StrategySelector;
import io.s2i.internal.build.strategy.UsageStrategy;
import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.internal.registry.RegistryAccess;
import io.s2i.internal.registry.TransferRetry;
import io.s2i.internal.scripts.ScriptDownloader;
import io.s2i.internal.source.PreparedSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The library's entry point: builds images from source with a builder image.
 *
 * <pre>{@code
 * S2i s2i = S2i.builder().engine(engine).events(sink).build();
 * BuildResult result = s2i.build(request);
 * }</pre>
 *
 * <p>Every entry point has the same shape: it takes one request ({@link BuildRequest},
 * {@link RebuildRequest}, {@link UsageRequest}, {@link DockerfileRequest}), valid by
 * construction; returns a result record; reports what happens through the instance's
 * {@link EventSink}; and fails with an {@link S2iException} whose {@link FailureReason} says
 * why. The library never prints and never exits.
 *
 * <p><b>Cancelling.</b> A call runs on the caller's thread. Interrupt that thread (for a call
 * submitted to an {@link java.util.concurrent.ExecutorService}, {@code future.cancel(true)}) to
 * cancel it: the call stops what it runs, removes every container, temporary image and directory
 * it made, and throws an {@link S2iException} with {@link FailureReason#INTERRUPTED}; the thread's
 * interrupt flag stays set. No callback is sent for a cancelled build.
 *
 * <p>An instance holds no state between calls and may serve several calls at once, on several
 * threads.
 */
public final class S2i {
  private final Optional<ContainerEngine> engine;
  private final EventSink events;
  private final CredentialSource credentials;
  private final ScriptDownloader downloader = new ScriptDownloader();

  private S2i(Builder b) {
    this.credentials = b.credentials;
    this.engine = Optional.ofNullable(b.engine);
    this.events = b.events;
  }

  /** Starts configuring an instance. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs one build. Every container, temporary image and directory the build made is removed
   * before this returns, whether it succeeds, fails or is interrupted.
   *
   * @throws S2iException why the build failed; {@link FailureReason#INTERRUPTED} when cancelled
   */
  public BuildResult build(BuildRequest request) throws S2iException {
    ContainerEngine engine = engine();
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
      throw interrupted("build", e);
    } finally {
      if (request.callbackUrl().isPresent() && !Thread.currentThread().isInterrupted()) {
        new CallbackNotifier(events).notify(request.callbackUrl().get(), result != null,
            Optional.ofNullable(result).map(BuildResult::labels));
      }
    }
  }

  /**
   * Builds an s2i-built image again from its labels ({@code s2i rebuild}); see
   * {@link RebuildRequest}. The image is pulled under the request's pull policy when the engine
   * lacks it.
   *
   * @throws S2iException {@link FailureReason#INVALID_REQUEST} when the image lacks s2i's labels,
   *     else as {@link #build}
   */
  public BuildResult rebuild(RebuildRequest request) throws S2iException {
    ContainerEngine pulling = new RegistryAwareEngine(engine(), new RegistryAccess(credentials, events), events);
    ImageInfo image = pulling.images().ensure(request.image().withDefaultTag(), request.pull());
    return build(RebuildRequests.derive(request, image, events));
  }

  /**
   * Runs the builder's {@code usage} script and returns what it printed ({@code s2i usage}); the
   * output also reaches the event sink as it comes. No image is committed and no container is
   * left.
   *
   * @throws S2iException {@link FailureReason#INSTALL_SCRIPTS_FAILED} when the image has no
   *     usage script, {@link FailureReason#ASSEMBLE_FAILED} when it fails
   */
  public UsageResult usage(UsageRequest request) throws S2iException {
    ContainerEngine pulling = new RegistryAwareEngine(engine(), new RegistryAccess(credentials, events), events);
    try (BuildSession session = BuildSession.openWithoutRequest(request.keepWorkspace(), pulling, events)) {
      return new UsageStrategy(downloader).execute(request, session);
    } catch (InterruptedException e) {
      throw interrupted("usage", e);
    }
  }

  /**
   * Writes a Dockerfile and its build context instead of building ({@code --as-dockerfile},
   * {@code s2i generate}). Needs no engine: when the instance has one and it has the builder (or
   * runtime) image, that image's labels are read; else upstream's defaults apply.
   *
   * @throws S2iException {@link FailureReason#INVALID_REQUEST} when the Dockerfile cannot be
   *     written where asked, else as the source fetch and scripts lookup of {@link #build}
   */
  public DockerfileResult generateDockerfile(DockerfileRequest request) throws S2iException {
    Path dockerfile = new DockerfileStrategy(engine, events, downloader).execute(request);
    return new DockerfileResult(dockerfile, dockerfile.toAbsolutePath().getParent());
  }

  /**
   * Makes {@code image} available in the engine under {@code policy}, pulling it when the policy
   * says so with the credentials and progress events of a build ({@code s2i cache pull}: warming a
   * daemonless engine's cache before builds run). Returns the image's id.
   */
  public String pull(io.s2i.api.ImageRef image, io.s2i.api.PullPolicy policy) throws S2iException {
    ContainerEngine pulling = new RegistryAwareEngine(engine(), new RegistryAccess(credentials, events), events);
    return pulling.images().ensure(image.withDefaultTag(), policy).id();
  }

  /**
   * Runs a built image with its own command until it exits ({@code --run}); the container is
   * removed afterwards, also when interrupted.
   *
   * @param image the image's name or id
   * @param capDrop capabilities to drop
   * @throws S2iException {@link FailureReason#ASSEMBLE_FAILED} when it exits non-zero
   */
  public void run(String image, List<String> capDrop) throws S2iException {
    try {
      new ImageRunner(engine(), events).run(image, capDrop);
    } catch (InterruptedException e) {
      throw interrupted("run", e);
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
    return new io.s2i.internal.detect.SourceDetector(events, engine).detect(source, options);
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

  private ContainerEngine engine() throws S2iException {
    return engine.orElseThrow(() -> new S2iException(FailureReason.ENGINE_UNAVAILABLE,
        "this S2i instance has no container engine", "give one to S2i.builder().engine(...)"));
  }

  private static S2iException interrupted(String what, InterruptedException e) {
    Thread.currentThread().interrupt();
    return new S2iException(FailureReason.INTERRUPTED, what + " interrupted", null, e);
  }

  /** Configures an {@link S2i}. */
  public static final class Builder {
    private ContainerEngine engine;
    private EventSink events = EventSink.discard();
    private CredentialSource credentials = Credentials.dockerConfig();

    private Builder() {}

    /**
     * Where registry credentials come from; by default Docker's {@code $DOCKER_CONFIG/config.json}
     * and {@code ~/.docker/config.json} ({@link Credentials#dockerConfig()}).
     */
    public Builder credentials(CredentialSource credentials) {
      this.credentials = credentials;
      return this;
    }

    /**
     * The engine that pulls, runs and commits ({@link io.s2i.engine.EngineResolver} finds one).
     * Needed by every call but {@link S2i#generateDockerfile}. The caller keeps owning it: the
     * instance never closes it.
     */
    public Builder engine(ContainerEngine engine) {
      this.engine = engine;
      return this;
    }

    /** Receives what the calls report; by default nothing. Must be thread-safe. */
    public Builder events(EventSink events) {
      this.events = events;
      return this;
    }

    /** The configured instance. */
    public S2i build() {
      return new S2i(this);
    }
  }
}
