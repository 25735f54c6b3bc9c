package io.s2i.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.api.FailureReason;
import io.s2i.engine.CommitSpec;
import io.s2i.engine.EngineException;
import java.io.IOException;
import java.util.Optional;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * Commits a container through a raw {@code POST /commit} ({@link RawRequests}). docker-java's CommitCmd cannot set the
 * entrypoint, and the daemon keeps the container's entrypoint unless the body says otherwise, so
 * the request is written here.
 */
final class ImageCommitter {
  private ImageCommitter() {}

  /** Commits {@code containerId} as described by {@code spec}; returns the new image id. */
  static String commit(DockerConnection docker, String containerId, CommitSpec spec)
      throws EngineException {
    StringBuilder path =
        new StringBuilder("/commit?container=").append(enc(containerId));
    Optional<String> repository = spec.repository().filter(r -> !r.isBlank());
    if (repository.isPresent()) {
      ImageReference ref = ImageReference.of(repository.get());
      path.append("&repo=").append(enc(ref.repository()));
      path.append("&tag=").append(enc(ref.tagOrLatest()));
    }
    try {
      RawRequests.Answer answer = RawRequests.post(docker, path.toString(), body(spec));
      if (!answer.ok()) {
        throw failed(containerId, answer.error(), null);
      }
      JsonNode id = answer.json().path("Id");
      if (!id.isTextual() || id.asText().isEmpty()) {
        throw failed(containerId, "the daemon's answer has no image id: " + DockerErrors.oneLine(answer.text()), null);
      }
      return id.asText();
    } catch (IOException | RuntimeException e) {
      throw failed(containerId, DockerErrors.message(e), e);
    }
  }

  /** The container configuration to write on the image. */
  static ObjectNode body(CommitSpec spec) {
    ObjectNode body = RawRequests.JSON.createObjectNode();
    spec.cmd().forEach(body.putArray("Cmd")::add);
    // Always present, even empty: an absent Entrypoint makes the daemon keep the container's.
    spec.entrypoint().forEach(body.putArray("Entrypoint")::add);
    body.put("User", spec.user());
    spec.env().forEach(body.putArray("Env")::add);
    ObjectNode labels = body.putObject("Labels");
    new TreeMap<>(spec.labels()).forEach(labels::put);
    return body;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static EngineException failed(String containerId, String why, Throwable cause) {
    return new EngineException(
        FailureReason.COMMIT_FAILED, "cannot commit container " + containerId + ": " + why, null, cause);
  }
}
