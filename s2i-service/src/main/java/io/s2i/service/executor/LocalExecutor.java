package io.s2i.service.executor;

import io.s2i.S2i;
import io.s2i.api.BuildEvent;
import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult;
import io.s2i.api.DetectOptions;
import io.s2i.api.Detection;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.RegistryCredentials;
import io.s2i.api.S2iException;
import io.s2i.api.SourceInfo;
import io.s2i.api.SourceSpec;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ImageInfo;
import io.s2i.service.model.Build;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildInputs;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.BuildReasons;
import io.s2i.service.store.BuildOutcome;
import io.s2i.service.store.StoredBuild;
import io.s2i.service.uploads.UploadExtractor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs builds in this process with the library ({@code S2i.build}) on the engine {@code s2i build}
 * would pick, and pushes the result with the configuration's credentials through the engine.
 */
public final class LocalExecutor implements BuildExecutor {
  private final ContainerEngine engine;
  private final UploadExtractor extractor;
  private final LeftoverCleaner leftovers;
  private final Optional<Path> buildersFile;

  /**
   * An executor on {@code engine}.
   *
   * @param leftovers removes what builds of a dead server left in the engine
   */
  public LocalExecutor(ContainerEngine engine, UploadExtractor extractor, LeftoverCleaner leftovers) {
    this(engine, extractor, leftovers, Optional.empty());
  }

  /**
   * An executor on {@code engine} whose builder detection ({@code strategy.detect}) reads
   * {@code buildersFile} instead of the shipped builder catalogue.
   */
  public LocalExecutor(ContainerEngine engine, UploadExtractor extractor, LeftoverCleaner leftovers,
      Optional<Path> buildersFile) {
    this.engine = engine;
    this.extractor = extractor;
    this.leftovers = leftovers;
    this.buildersFile = buildersFile;
  }

  /** Removes what builds of a server that died left in the engine. */
  @FunctionalInterface
  public interface LeftoverCleaner {
    /** Removes the leftovers; returns one line per thing done, for the builds' logs. */
    List<String> clean(List<StoredBuild> builds);
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public BuildOutcome run(BuildJob job, BuildReporter reporter) throws InterruptedException {
    BuildConfig config = job.build().config();
    BuildOptions options = job.build().build().options();
    reporter.running();
    reporter.log("Building " + job.build().build().name() + " (" + config.strategy().type()
        + " strategy) on the " + engine.name() + " engine");
    EventSink events = new ReporterSink(reporter);
    boolean pushing = false;
    BuildInputs inputs = null;
    try {
      SourceSpec source = source(job, config, options, reporter);
      String image;
      Build.Revision revision = null;
      if (config.strategy().type() == BuildConfig.StrategyType.Docker) {
        DockerfileBuild.Result r = new DockerfileBuild(engine, reporter).run(config, options, job);
        image = r.imageId();
        revision = r.revision();
      } else {
        S2i s2i = S2i.builder().engine(engine).events(events).build();
        String builder = RequestMapper.builderImage(config, options);
        java.util.Map<String, String> labels = java.util.Map.of();
        BuildInputs.Detected detected = null;
        if (Boolean.TRUE.equals(config.strategy().detect())) {
          Detection detection = detect(s2i, source, reporter);
          detected = detected(detection);
          if (detection.builder().isEmpty() || detection.problem().isPresent()) {
            String message = detection.problem().map(p -> FailureMapping.oneLine(p.message()) + ". Fix: "
                + FailureMapping.oneLine(p.fix())).orElse("detection chose no builder image. Fix: name one in"
                + " strategy.builderImage");
            reporter.log("ERROR: " + message);
            return FailureMapping.outcome(BuildPhase.Failed, BuildReasons.DETECTION_FAILED, message)
                .withInputs(new BuildInputs(null, null, null, null, detected));
          }
          builder = detection.builder().get().image();
          labels = S2i.detectionLabels(detection);
          reporter.log("Detected " + detected.language() + (detected.version() == null ? "" : " " + detected.version())
              + " (" + detected.marker() + "): building with " + builder);
        }
        inputs = new BuildInputs(builder, null, RequestMapper.runtimeImage(config, options), null, detected);
        BuildRequest request = RequestMapper.sourceBuild(config, options, source, builder, labels);
        BuildResult result = s2i.build(request);
        inputs = withImageIds(inputs);
        image = result.imageId();
        revision = result.source().flatMap(SourceInfo::commit)
            .map(c -> new Build.Revision(c.id(), c.ref(), c.author(), c.message())).orElse(null);
      }
      checkInterrupted();
      String digest = null;
      if (Boolean.TRUE.equals(config.output().push())) {
        pushing = true;
        digest = push(config.output(), reporter);
      }
      reporter.log("Successfully built " + config.output().image());
      return new BuildOutcome(BuildPhase.Complete, null, null, null, revision, image, digest, null, inputs);
    } catch (S2iException e) {
      if (Thread.currentThread().isInterrupted() || e.reason() == FailureReason.INTERRUPTED) {
        throw new InterruptedException("cancelled");
      }
      BuildOutcome failed = FailureMapping.of(e, pushing);
      reporter.log("ERROR: " + failed.message());
      return failed.withInputs(inputs);
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("cancelled");
      }
      String reason = e instanceof UploadExtractor.UploadException
          ? BuildReasons.BINARY_INPUT_INVALID : BuildReasons.FETCH_SOURCE_FAILED;
      reporter.log("ERROR: " + e.getMessage());
      return FailureMapping.outcome(BuildPhase.Failed, reason, FailureMapping.oneLine(e.getMessage()));
    }
  }

  /** Runs the library's detection on the build's source, as a step of its own. */
  private Detection detect(S2i s2i, SourceSpec source, BuildReporter reporter) throws S2iException {
    Instant start = Instant.now();
    reporter.stepStarted("DetectBuilder");
    boolean ok = false;
    try {
      Detection detection = s2i.detect(source, new DetectOptions(buildersFile, true,
          Optional.of(Detection.Strategy.SOURCE)));
      ok = detection.builder().isPresent() && detection.problem().isEmpty();
      return detection;
    } finally {
      reporter.stepFinished("DetectBuilder", Duration.between(start, Instant.now()), ok);
    }
  }

  private static BuildInputs.Detected detected(Detection d) {
    Optional<Detection.DetectedLanguage> language = d.builder()
        .flatMap(b -> d.languages().stream().filter(l -> l.language().equals(b.language())).findFirst())
        .or(d::primary);
    return new BuildInputs.Detected(d.builder().map(Detection.BuilderChoice::image).orElse(null),
        d.builder().map(Detection.BuilderChoice::language).or(() -> language.map(Detection.DetectedLanguage::language))
            .orElse(null),
        language.flatMap(Detection.DetectedLanguage::version).orElse(null),
        language.map(Detection.DetectedLanguage::marker).orElse(null),
        d.builder().map(Detection.BuilderChoice::reason).orElse(null));
  }

  /** The inputs with the ids the engine has for their images now (just after the build used them). */
  private BuildInputs withImageIds(BuildInputs in) {
    return in.withIds(imageId(in.builderImage()), imageId(in.runtimeImage()));
  }

  private String imageId(String ref) {
    if (ref == null) {
      return null;
    }
    try {
      return engine.images().inspect(ref).map(ImageInfo::id).orElse(null);
    } catch (io.s2i.engine.EngineException e) {
      return null;
    }
  }

  private SourceSpec source(BuildJob job, BuildConfig config, BuildOptions options, BuildReporter reporter)
      throws IOException, S2iException {
    if (config.source().type() == BuildConfig.SourceType.Git) {
      return RequestMapper.gitSource(config, options);
    }
    if (job.upload().isEmpty() || options.binary() == null) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "this configuration builds from binary input"
          + " and none was uploaded", "start it with --from-file, --from-dir, --from-archive or --from-repo");
    }
    Instant start = Instant.now();
    reporter.stepStarted("ReceiveBinary");
    boolean ok = false;
    try {
      Path dir = job.workDir().resolve("src");
      BuildOptions.BinaryInput in = options.binary();
      if (in.kind().equals("file")) {
        String name = config.source().binary() != null && config.source().binary().asFile() != null
            ? config.source().binary().asFile() : in.fileName();
        UploadExtractor.placeFile(job.upload().get(), dir, name);
        reporter.log("Received " + name + " (" + in.size() + " bytes)");
      } else {
        extractor.extract(job.upload().get(), dir);
        reporter.log("Received and unpacked the " + in.kind() + " upload (" + in.size() + " bytes)");
      }
      ok = true;
      return RequestMapper.binarySource(config, options, dir);
    } finally {
      reporter.stepFinished("ReceiveBinary", Duration.between(start, Instant.now()), ok);
    }
  }

  private String push(BuildConfig.Output output, BuildReporter reporter) throws S2iException {
    Instant start = Instant.now();
    reporter.stepStarted("PushImage");
    boolean ok = false;
    try {
      reporter.log("Pushing " + output.image());
      Optional<RegistryCredentials> credentials = Optional.ofNullable(output.credentials())
          .map(c -> new RegistryCredentials(c.username(), c.password()));
      String ref = io.s2i.api.ImageRef.parse(output.image()).withDefaultTag();
      String digest = engine.images().push(ref, credentials, io.s2i.engine.TransferListener.none());
      reporter.log("Pushed " + output.image() + "@" + digest);
      ok = true;
      return digest;
    } catch (S2iException e) {
      throw new S2iException(FailureReason.REGISTRY_FAILED, e.getMessage(), e.suggestion().orElse(null), e);
    } finally {
      reporter.stepFinished("PushImage", Duration.between(start, Instant.now()), ok);
    }
  }

  private static void checkInterrupted() throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("cancelled");
    }
  }

  @Override
  public List<String> cleanUpInterrupted(List<StoredBuild> builds) {
    try {
      return leftovers.clean(builds);
    } catch (RuntimeException e) {
      return List.of("removing the leftovers of interrupted builds failed: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    engine.close();
  }

  /** The library's events as log lines and steps. */
  private static final class ReporterSink implements EventSink {
    private final BuildReporter reporter;

    ReporterSink(BuildReporter reporter) {
      this.reporter = reporter;
    }

    @Override
    public void accept(BuildEvent event) {
      if (event instanceof BuildEvent.Log l) {
        switch (l.level()) {
          case ERROR -> reporter.log("ERROR: " + l.message());
          case WARN -> reporter.log("WARNING: " + l.message());
          case INFO, DETAIL -> reporter.log(l.message());
          default -> { }
        }
      } else if (event instanceof BuildEvent.ContainerOutput o) {
        reporter.log(o.line());
      } else if (event instanceof BuildEvent.StepStarted s) {
        reporter.stepStarted(s.step());
      } else if (event instanceof BuildEvent.StepFinished f) {
        reporter.stepFinished(f.step(), f.duration(), f.succeeded());
      } else if (event instanceof BuildEvent.Transfer t && t.done()) {
        reporter.log(t.action() + " " + t.image() + ": " + t.layers() + " layers done");
      }
    }
  }

  @Override
  public Optional<Path> builderCatalogue() {
    return buildersFile;
  }
}
