package io.s2i.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Requests written here rather than through docker-java's commands, on its HTTP transport, with
 * JSON trees for bodies and answers: for what its commands cannot express (a commit's entrypoint),
 * and for the requests of every build, whose bean (de)serializers Jackson would otherwise build by
 * reflection on each fresh JVM (100-150 ms for an image inspect alone).
 */
final class RawRequests {
  static final ObjectMapper JSON = new ObjectMapper();

  private RawRequests() {}

  /** The daemon's answer: its status and whole body. */
  record Answer(int status, byte[] body) {
    boolean ok() {
      return status / 100 == 2;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    /** The daemon's error message, on one line. */
    String error() {
      return DockerErrors.daemonMessage(text());
    }
  }

  static Answer get(DockerConnection docker, String path) throws IOException {
    return send(docker, DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET), path);
  }

  static Answer post(DockerConnection docker, String path, JsonNode body) throws IOException {
    return send(docker, DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST)
        .putHeader("Content-Type", "application/json").bodyBytes(JSON.writeValueAsBytes(body)), path);
  }

  /** A POST without a body. */
  static Answer post(DockerConnection docker, String path) throws IOException {
    return send(docker, DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST), path);
  }

  static Answer delete(DockerConnection docker, String path) throws IOException {
    return send(docker, DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.DELETE), path);
  }

  private static Answer send(DockerConnection docker, DockerHttpClient.Request.Builder request, String path)
      throws IOException {
    try (DockerHttpClient.Response response =
        docker.http().execute(request.path(docker.apiVersion().pathPrefix() + path).build())) {
      return new Answer(response.getStatusCode(), response.getBody().readAllBytes());
    }
  }
}
