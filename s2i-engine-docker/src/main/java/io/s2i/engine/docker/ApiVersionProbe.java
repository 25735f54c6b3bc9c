package io.s2i.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.util.Optional;

/**
 * Asks a daemon which API version it speaks, using unversioned requests that every daemon accepts:
 * {@code /_ping} (the {@code Api-Version} header), else {@code /version} ({@code ApiVersion}).
 */
final class ApiVersionProbe {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiVersionProbe() {}

  /**
   * The daemon's API version; empty when it answers but does not say.
   *
   * @throws IOException when it does not answer with success
   * @throws RuntimeException from the transport when it cannot be reached
   */
  static Optional<ApiVersion> probe(DockerHttpClient http) throws IOException {
    try (DockerHttpClient.Response ping = http.execute(get("/_ping"))) {
      if (ping.getStatusCode() / 100 != 2) {
        throw new IOException("/_ping answered HTTP " + ping.getStatusCode());
      }
      Optional<ApiVersion> fromHeader = ApiVersion.parse(ping.getHeader("Api-Version"));
      if (fromHeader.isPresent()) {
        return fromHeader;
      }
    }
    try (DockerHttpClient.Response version = http.execute(get("/version"))) {
      if (version.getStatusCode() / 100 != 2) {
        return Optional.empty();
      }
      JsonNode node = JSON.readTree(version.getBody());
      return ApiVersion.parse(node.path("ApiVersion").asText(null));
    }
  }

  private static DockerHttpClient.Request get(String path) {
    return DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET)
        .path(path)
        .build();
  }
}
