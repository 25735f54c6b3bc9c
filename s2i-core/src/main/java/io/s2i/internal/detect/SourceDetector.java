package io.s2i.internal.detect;

import io.s2i.api.DetectOptions;
import io.s2i.api.Detection;
import io.s2i.api.Detection.DetectedLanguage;
import io.s2i.api.Detection.DockerfileInfo;
import io.s2i.api.Detection.Problem;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.api.SourceSpec;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineException;
import io.s2i.internal.build.Workspace;
import io.s2i.internal.build.step.FetchSourceStep;
import io.s2i.internal.contract.S2iLabels;
import io.s2i.internal.source.PreparedSource;
import io.s2i.internal.source.SourceFetchException;
import io.s2i.internal.source.SourceLocation;
import io.s2i.internal.source.binary.ArchiveUnpacker;
import io.s2i.internal.source.binary.BinarySourceFetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Detection from end to end: reads the source (a directory in place, a git repository from a
 * clone, an archive unpacked, a single file as it is) into a temporary workspace that is removed
 * afterwards, finds its languages and strategy, and matches a builder.
 */
public final class SourceDetector {
  private final EventSink events;
  private final Optional<ContainerEngine> engine;

  public SourceDetector(EventSink events, Optional<ContainerEngine> engine) {
    this.events = events;
    this.engine = engine;
  }

  /** Detects what {@code spec} is and which builder builds it. */
  public Detection detect(SourceSpec spec, DetectOptions options) throws S2iException {
    BuilderCatalogue catalogue = options.buildersFile().isPresent()
        ? BuilderCatalogue.read(options.buildersFile().get()) : BuilderCatalogue.shipped();
    try (Workspace workspace = workspace()) {
      Read read = read(spec, workspace);
      List<EngineBuilders.Builder> builders = engineBuilders(options, read.languages());
      Detection.Strategy strategy = options.strategy()
          .orElse(read.dockerfile().isPresent() ? Detection.Strategy.DOCKER : Detection.Strategy.SOURCE);
      Optional<Detection.BuilderChoice> choice = Optional.empty();
      Optional<Problem> problem = Optional.empty();
      String shown = spec.location();
      if (!read.languages().isEmpty()) {
        BuilderMatcher.Outcome outcome = BuilderMatcher.choose(read.languages().get(0), catalogue, builders, shown);
        choice = outcome.choice();
        problem = outcome.problem();
      } else if (strategy == Detection.Strategy.SOURCE) {
        problem = Optional.of(new Problem("no language detected in " + shown + ": looked for "
            + String.join("; ", LanguageDetector.markers()),
            "name a builder image: s2i build " + shown + " <image> <tag>", List.of()));
      }
      if (strategy == Detection.Strategy.DOCKER) {
        problem = Optional.of(read.dockerfile().isPresent()
            ? new Problem(shown + " has a " + read.dockerfile().get().file() + ", so its strategy is docker,"
                + " which s2i does not build", "build it with docker build or buildah bud, or build it from"
                + " source with a builder image (--strategy source, or s2i build " + shown + " <image> <tag>)",
                List.of())
            : new Problem("the docker strategy was asked for, but " + shown + " has no Dockerfile or Containerfile"
                + " at its top", "add one, or drop --strategy docker", List.of()));
      }
      return new Detection(shown, read.input(), read.languages(), strategy, read.dockerfile(), choice,
          problem, LanguageDetector.markers());
    }
  }

  /** The labels an image built with the detected builder carries. */
  public static Map<String, String> labels(Detection detection) {
    Map<String, String> labels = new LinkedHashMap<>();
    detection.primary().ifPresent(l -> {
      labels.put(S2iLabels.DETECTED_LANGUAGE, l.language());
      l.version().ifPresent(v -> labels.put(S2iLabels.DETECTED_VERSION, v));
      labels.put(S2iLabels.DETECTED_MARKER, l.marker());
    });
    detection.builder().ifPresent(b -> {
      labels.put(S2iLabels.DETECTED_BUILDER, b.image());
      labels.put(S2iLabels.DETECTED_REASON, b.reason());
    });
    return labels;
  }

  private record Read(Detection.InputKind input, List<DetectedLanguage> languages,
      Optional<DockerfileInfo> dockerfile) {}

  private Read read(SourceSpec spec, Workspace workspace) throws S2iException {
    Optional<Path> file = localFile(spec.location());
    try {
      if (file.isPresent()) {
        BinarySourceFetcher.Plan plan = BinarySourceFetcher.plan(file.get(), spec.location(), spec.binary());
        if (!plan.unpack()) {
          if (spec.contextDir().isPresent()) {
            throw new SourceFetchException("--context-dir needs a directory or an archive, and " + spec.location()
                + " is a single file", "drop --context-dir, or pass --from-archive if the file is an archive");
          }
          events.detail("Detecting what the single file " + spec.location() + " is");
          return new Read(Detection.InputKind.FILE,
              BinaryDetector.detect(file.get(), plan.kind(), plan.name()).stream().toList(), Optional.empty());
        }
        Path target = workspace.dir("upload").resolve("src");
        events.detail("Unpacking " + plan.kind().label() + " archive " + spec.location() + " to detect its content");
        new ArchiveUnpacker(spec.binary().limits(), spec.location()).unpack(file.get(), plan.kind(), target);
        Path root = BinarySourceFetcher.contextRoot(target, spec, spec.location());
        return new Read(Detection.InputKind.ARCHIVE, LanguageDetector.detect(root), DockerfileDetector.detect(root));
      }
      PreparedSource source = new FetchSourceStep(events, workspace).run(spec);
      events.detail("Detecting languages in " + source.root());
      Detection.InputKind kind = source.info().commit().isPresent() ? Detection.InputKind.GIT
          : Detection.InputKind.DIRECTORY;
      return new Read(kind, LanguageDetector.detect(source.root()), DockerfileDetector.detect(source.root()));
    } catch (IOException e) {
      throw new SourceFetchException("cannot read the source " + spec.location() + ": " + e.getMessage(),
          "check that the source is readable", e);
    }
  }

  /** The local regular file a source argument names, when it names one. */
  private static Optional<Path> localFile(String typed) {
    try {
      if (SourceLocation.parse(typed) instanceof SourceLocation.Local local) {
        Path p = local.path().toAbsolutePath().normalize();
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
      }
    } catch (SourceFetchException e) {
      // not a file: the fetch reports what is wrong with it
    }
    return Optional.empty();
  }

  private List<EngineBuilders.Builder> engineBuilders(DetectOptions options, List<DetectedLanguage> languages) {
    if (!options.engineImages() || engine.isEmpty() || languages.isEmpty()) {
      return List.of();
    }
    try {
      return EngineBuilders.of(engine.get().images().list());
    } catch (EngineException e) {
      events.warn("the engine's builder images are not considered: " + e.getMessage());
      return List.of();
    }
  }

  private static Workspace workspace() throws S2iException {
    try {
      return Workspace.create(false);
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC, "cannot create a temporary directory: " + e.getMessage(),
          "check that the temporary directory is writable", e);
    }
  }
}
