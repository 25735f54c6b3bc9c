package io.s2i.service.executor;

import io.s2i.api.BuildRequest;
import io.s2i.api.EnvVar;
import io.s2i.api.ImageRef;
import io.s2i.api.IncrementalSpec;
import io.s2i.api.InvalidBuildRequestException;
import io.s2i.api.OutputOptions;
import io.s2i.api.OutputTarget;
import io.s2i.api.PathMapping;
import io.s2i.api.PullPolicy;
import io.s2i.api.RuntimeImageSpec;
import io.s2i.api.ScriptsSpec;
import io.s2i.api.SourceSpec;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.EnvEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a configuration and a start-build's options into the library's {@link BuildRequest}. The
 * image is left in the engine under the output name; the service pushes it itself, with the
 * configuration's credentials.
 */
public final class RequestMapper {
  private RequestMapper() {}

  /** The merged environment: the configuration's, then the start-build's (same name replaces). */
  public static List<EnvEntry> env(BuildConfig config, BuildOptions options) {
    Map<String, EnvEntry> merged = new LinkedHashMap<>();
    if (config.strategy().env() != null) {
      config.strategy().env().forEach(e -> merged.put(e.name(), e));
    }
    if (options.env() != null) {
      options.env().forEach(e -> merged.put(e.name(), e));
    }
    return new ArrayList<>(merged.values());
  }

  /** The library's pull policy for the configuration's. */
  public static PullPolicy pull(BuildConfig.Strategy s) {
    BuildConfig.PullPolicy p = s.pullPolicy() == null ? BuildConfig.PullPolicy.IfNotPresent : s.pullPolicy();
    return switch (p) {
      case Always -> PullPolicy.ALWAYS;
      case Never -> PullPolicy.NEVER;
      case IfNotPresent -> PullPolicy.IF_NOT_PRESENT;
    };
  }

  /** The builder image a build uses: the one an image-change trigger pinned, else the configuration's. */
  public static String builderImage(BuildConfig config, BuildOptions options) {
    return options.builderImage() != null ? options.builderImage() : config.strategy().builderImage();
  }

  /** The runtime image a build uses (pinned or the configuration's); null for a plain build. */
  public static String runtimeImage(BuildConfig config, BuildOptions options) {
    return options.runtimeImage() != null ? options.runtimeImage() : config.strategy().runtimeImage();
  }

  /**
   * The request for a source-strategy build.
   *
   * @param source where the library finds the source (the git URL, or the unpacked upload)
   */
  public static BuildRequest sourceBuild(BuildConfig config, BuildOptions options, SourceSpec source)
      throws InvalidBuildRequestException {
    return sourceBuild(config, options, source, builderImage(config, options), Map.of());
  }

  /**
   * The request for a source-strategy build with {@code builder} (detected, for a configuration
   * with {@code strategy.detect}) and extra {@code labels} (the detection's).
   */
  public static BuildRequest sourceBuild(BuildConfig config, BuildOptions options, SourceSpec source, String builder,
      Map<String, String> labels) throws InvalidBuildRequestException {
    BuildConfig.Strategy s = config.strategy();
    PullPolicy pull = pull(s);
    BuildRequest.Builder b = BuildRequest.builder(source, ImageRef.parse(builder))
        .builderPull(pull)
        .output(new OutputTarget.EngineImage(Optional.of(ImageRef.parse(config.output().image()))))
        .env(env(config, options).stream().map(e -> new EnvVar(e.name(), e.value(), e.secret())).toList())
        .outputOptions(new OutputOptions(false, !Boolean.TRUE.equals(options.noCache())));
    boolean incremental = options.incremental() != null ? options.incremental() : Boolean.TRUE.equals(s.incremental());
    if (incremental) {
      b.incremental(new IncrementalSpec(Optional.empty(), pull, false));
    }
    if (s.scriptsUrl() != null) {
      b.scripts(new ScriptsSpec(Optional.of(s.scriptsUrl()), Optional.empty(), Optional.empty()));
    }
    if (!labels.isEmpty()) {
      b.labels(labels);
    }
    String runtime = runtimeImage(config, options);
    if (runtime != null) {
      List<PathMapping> artifacts = s.runtimeArtifacts() == null ? List.of() : s.runtimeArtifacts().stream()
          .map(a -> new PathMapping(a.source(), a.destination() == null || a.destination().isEmpty()
              ? "." : a.destination()))
          .toList();
      b.runtime(new RuntimeImageSpec(ImageRef.parse(runtime), pull, artifacts, Optional.empty()));
    }
    return b.build();
  }

  /** The library's source spec for a git configuration, at {@code commit} when given. */
  public static SourceSpec gitSource(BuildConfig config, BuildOptions options) {
    BuildConfig.Git git = config.source().git();
    String ref = options.commit() != null ? options.commit() : git.ref();
    return new SourceSpec(git.uri(), Optional.ofNullable(ref), Optional.ofNullable(config.source().contextDir()),
        false, false, SourceSpec.DEFAULT_EXCLUDE, false);
  }

  /**
   * The library's source spec for unpacked binary input in {@code dir}: a repository
   * ({@code --from-repo}) is cloned at the commit asked for; anything else is copied as it is.
   */
  public static SourceSpec binarySource(BuildConfig config, BuildOptions options, java.nio.file.Path dir) {
    boolean repo = options.binary() != null && "repo".equals(options.binary().kind());
    return new SourceSpec(dir.toString(), Optional.ofNullable(repo ? options.commit() : null),
        Optional.ofNullable(config.source().contextDir()), !repo, false, SourceSpec.DEFAULT_EXCLUDE, false);
  }
}
