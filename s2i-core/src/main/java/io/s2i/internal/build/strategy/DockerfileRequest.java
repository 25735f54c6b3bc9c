package io.s2i.internal.build.strategy;

import io.s2i.api.BuildRequest;
import io.s2i.api.PathMapping;
import java.util.List;
import java.util.Optional;

/**
 * A request to write a Dockerfile and its context instead of building ({@code --as-dockerfile},
 * {@code s2i generate}).
 *
 * @param build the build it stands for
 * @param output the Dockerfile path as given; a trailing {@code /} names a directory
 * @param withSource false for {@code generate}: no source is fetched, {@code src/} stays empty
 * @param runtimeImage the runtime image of an extended build
 * @param runtimeArtifacts {@code -a} mappings; empty to read the runtime image's label
 * @param assembleRuntimeUser {@code --assemble-runtime-user}
 */
public record DockerfileRequest(
    BuildRequest build,
    String output,
    boolean withSource,
    Optional<String> runtimeImage,
    List<PathMapping> runtimeArtifacts,
    Optional<String> assembleRuntimeUser) {

  public DockerfileRequest {
    runtimeArtifacts = List.copyOf(runtimeArtifacts);
    assembleRuntimeUser = assembleRuntimeUser.filter(s -> !s.isBlank());
    runtimeImage = runtimeImage.filter(s -> !s.isBlank());
  }
}
