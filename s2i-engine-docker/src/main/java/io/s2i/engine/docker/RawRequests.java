package io.s2i.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Requests written here rather than through docker-java's commands, with JSON trees for bodies and
 * answers, over {@link UnixHttp} on a unix socket and docker-java's transport otherwise: for what its commands cannot express (a commit's entrypoint),
 * and for the requests of every build, whose bean (de)serializers Jackson would otherwise build by
 * reflection on each fresh JVM (100-150 ms for an image inspect alone).
 */
final class RawRequests {
  static final ObjectMapper JSON = new ObjectMapper();

  private RawRequests() {}

  /**
   * Makes the mapper and reads a little JSON with it: some 20-30 ms of class loading and set-up
   * (dates, locales), done by the thread that opens the engine while the command line is still
   * being parsed rather than by the build's first request.
   */
  static void warmUp() {
    try {
      JSON.readTree("{\"Id\":\"\",\"Config\":{\"Labels\":{},\"Env\":[]},\"Size\":1}");
    } catch (IOException e) {
      throw new IllegalStateException("Jackson cannot read a constant", e);
    }
  }

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
    return send(docker, DockerHttpClient.Request.Method.GET, path, null);
  }

  static Answer post(DockerConnection docker, String path, JsonNode body) throws IOException {
    return send(docker, DockerHttpClient.Request.Method.POST, path, JSON.writeValueAsBytes(body));
  }

  /** A POST without a body. */
  static Answer post(DockerConnection docker, String path) throws IOException {
    return send(docker, DockerHttpClient.Request.Method.POST, path, null);
  }

  static Answer delete(DockerConnection docker, String path) throws IOException {
    return send(docker, DockerHttpClient.Request.Method.DELETE, path, null);
  }

  /** Reads a body as it comes (an archive); an answer other than success is returned whole instead. */
  @FunctionalInterface
  interface BodyReader {
    void read(InputStream body) throws IOException;
  }

  /**
   * {@code GET path}, handing a successful answer's body to {@code reader}; the answer returned
   * has the body only when the request failed.
   */
  static Answer getStreaming(DockerConnection docker, String path, BodyReader reader) throws IOException {
    Optional<Path> socket = docker.unixSocket();
    if (socket.isPresent()) {
      try (UnixHttp.Answer answer = UnixHttp.exchange(socket.get(), "GET", docker.apiVersion().pathPrefix() + path,
          null, null)) {
        return read(answer.status(), answer.body(), reader);
      }
    }
    try (DockerHttpClient.Response response = docker.http().execute(DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET).path(docker.apiVersion().pathPrefix() + path).build())) {
      return read(response.getStatusCode(), response.getBody(), reader);
    }
  }

  private static Answer read(int status, InputStream body, BodyReader reader) throws IOException {
    if (status / 100 != 2) {
      return new Answer(status, body.readAllBytes());
    }
    reader.read(body);
    return new Answer(status, new byte[0]);
  }

  /** Over the JDK's unix socket when the daemon is on one ({@link UnixHttp}), else docker-java's transport. */
  private static Answer send(DockerConnection docker, DockerHttpClient.Request.Method method, String path, byte[] json)
      throws IOException {
    String fullPath = docker.apiVersion().pathPrefix() + path;
    Optional<Path> socket = docker.unixSocket();
    if (socket.isPresent()) {
      try (UnixHttp.Answer answer = UnixHttp.exchange(socket.get(), method.name(), fullPath, "application/json",
          json)) {
        return new Answer(answer.status(), answer.body().readAllBytes());
      }
    }
    DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(fullPath);
    if (json != null) {
      request.putHeader("Content-Type", "application/json").bodyBytes(json);
    }
    try (DockerHttpClient.Response response = docker.http().execute(request.build())) {
      return new Answer(response.getStatusCode(), response.getBody().readAllBytes());
    }
  }
}
