package io.s2i.cli.command;

import io.s2i.S2i;
import io.s2i.api.BuildRequest;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.IncrementalSpec;
import io.s2i.api.PathMapping;
import io.s2i.api.S2iException;
import io.s2i.internal.build.strategy.DockerfileRequest;
import io.s2i.cli.options.EngineOptions;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineUnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a Dockerfile for {@code build --as-dockerfile} and {@code generate}. The engine is used
 * only to read the builder's labels, and only when it answers: no engine is needed.
 */
final class DockerfileOutput {
  private DockerfileOutput() {}

  /** {@code build --as-dockerfile}: the build request plus the flags only this mode uses. */
  static DockerfileRequest request(BuildCommand cmd, BuildRequest request) throws S2iException {
    if (cmd.run) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "--run cannot be used with --as-dockerfile",
          "build the Dockerfile, then run the image it makes");
    }
    BuildRequest withIncremental = request;
    if (cmd.incremental) {
      withIncremental = new BuildRequest(request.source(), request.builderImage(), request.builderPull(),
          request.tag(), request.env(), request.scripts(), request.run(), request.displayName(),
          request.description(), request.labels(),
          Optional.of(new IncrementalSpec(Optional.empty(), cmd.incrementalPullPolicy, cmd.removePrevious)),
          request.keepWorkspace(), request.callbackUrl());
      if (request.tag().isEmpty()) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "Image tag is missing for incremental build",
            "give the output tag as the third argument");
      }
    }
    List<PathMapping> artifacts = new ArrayList<>();
    for (String a : cmd.runtimeArtifacts) {
      try {
        artifacts.addAll(PathMapping.parseList(a));
      } catch (IllegalArgumentException e) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "invalid --runtime-artifact: " + e.getMessage(), null);
      }
    }
    return new DockerfileRequest(withIncremental, cmd.asDockerfile, true,
        Optional.ofNullable(cmd.runtimeImage), artifacts, Optional.ofNullable(cmd.assembleRuntimeUser));
  }

  /** Writes the Dockerfile, reading the builder's labels from the engine {@code choice} names when it answers. */
  static int write(EngineOptions.Choice choice, DockerfileRequest request, EventSink console) throws S2iException {
    Optional<ContainerEngine> engine = Optional.empty();
    try {
      engine = Optional.of(EngineOptions.open(choice, line -> {}));
    } catch (EngineUnavailableException e) {
      console.detail("No container engine: the builder's labels are not read (" + e.getMessage() + ")");
    }
    try {
      Path written = S2i.writeDockerfile(request, engine, console);
      console.info("Application dockerfile generated in " + written);
    } finally {
      engine.ifPresent(ContainerEngine::close);
    }
    return 0;
  }
}
