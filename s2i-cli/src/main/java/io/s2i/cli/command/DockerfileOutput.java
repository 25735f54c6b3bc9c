package io.s2i.cli.command;

import io.s2i.S2i;
import io.s2i.api.BuildRequest;
import io.s2i.api.DockerfileRequest;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.cli.options.EngineOptions;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineUnavailableException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes a Dockerfile for {@code build --as-dockerfile} and {@code generate}. The engine is used
 * only to read the builder's labels, and only when it answers: no engine is needed.
 */
final class DockerfileOutput {
  private DockerfileOutput() {}

  /** {@code build --as-dockerfile}: the build request, with its runtime image if any, as a Dockerfile. */
  static DockerfileRequest request(BuildCommand cmd, BuildRequest request) throws S2iException {
    if (cmd.run) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "--run cannot be used with --as-dockerfile",
          "build the Dockerfile, then run the image it makes");
    }
    return new DockerfileRequest(request, cmd.asDockerfile, true);
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
      S2i.Builder s2i = S2i.builder().events(console);
      engine.ifPresent(s2i::engine);
      Path written = s2i.build().generateDockerfile(request).dockerfile();
      console.info("Application dockerfile generated in " + written);
    } finally {
      engine.ifPresent(ContainerEngine::close);
    }
    return 0;
  }
}
