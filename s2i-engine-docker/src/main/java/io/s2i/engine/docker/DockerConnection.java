package io.s2i.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;

/**
 * An open connection to one daemon: the docker-java client, the HTTP client beneath it (for the
 * requests docker-java cannot express) and the API version both speak.
 */
record DockerConnection(
    DockerClient client, DockerHttpClient http, ApiVersion apiVersion, String endpoint) {

  /** Closes the client and its HTTP client; errors are ignored since nothing can be done. */
  void close() {
    try {
      client.close();
    } catch (IOException | RuntimeException ignored) {
      // the daemon connection is being abandoned anyway
    }
    try {
      http.close();
    } catch (IOException | RuntimeException ignored) {
      // as above
    }
  }
}
