package io.s2i.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * An open connection to one daemon: the API version it speaks, its unix socket when it is on one
 * (then a build's requests go over {@link UnixHttp}), and docker-java's client with the HTTP
 * client beneath it, built on first use: on a unix socket only pulls, pushes, image archives and
 * copies into containers need them.
 */
final class DockerConnection {
  /** docker-java's client and its transport. */
  record Clients(DockerClient client, DockerHttpClient http) {}

  /** TLS to a daemon on TCP: the context, and whether the daemon's host name is checked. */
  record Tls(SSLContext context, boolean verifyHost) {}

  private final Supplier<Clients> factory;
  private final ApiVersion apiVersion;
  private final String endpoint;
  private final Optional<Path> unixSocket;
  private final Optional<Tls> tls;
  private Clients clients;
  private boolean closed;

  /**
   * @param factory builds docker-java's client; called at most once, on first use
   * @param endpoint the daemon's address, such as {@code unix:///var/run/docker.sock}
   * @param tls TLS for a {@code tcp://} endpoint, empty for plain HTTP or a unix socket
   */
  DockerConnection(Supplier<Clients> factory, ApiVersion apiVersion, String endpoint, Optional<Tls> tls) {
    this.factory = factory;
    this.apiVersion = apiVersion;
    this.endpoint = endpoint;
    this.unixSocket = DockerEngineProvider.unixSocket(endpoint);
    this.tls = tls;
  }

  ApiVersion apiVersion() {
    return apiVersion;
  }

  String endpoint() {
    return endpoint;
  }

  /** The daemon's socket file, when it listens on a unix socket. */
  Optional<Path> unixSocket() {
    return unixSocket;
  }

  /** TLS on a TCP endpoint, when it is used. */
  Optional<Tls> tls() {
    return tls;
  }

  DockerClient client() {
    return clients().client();
  }

  DockerHttpClient http() {
    return clients().http();
  }

  private synchronized Clients clients() {
    if (closed) {
      throw new IllegalStateException("the connection to " + endpoint + " is closed");
    }
    if (clients == null) {
      clients = factory.get();
    }
    return clients;
  }

  /** Closes the client and its HTTP client if they were built; errors are ignored since nothing can be done. */
  synchronized void close() {
    closed = true;
    if (clients == null) {
      return;
    }
    try {
      clients.client().close();
    } catch (IOException | RuntimeException ignored) {
      // the daemon connection is being abandoned anyway
    }
    try {
      clients.http().close();
    } catch (IOException | RuntimeException ignored) {
      // as above
    }
  }
}
