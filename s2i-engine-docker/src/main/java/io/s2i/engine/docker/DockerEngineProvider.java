package io.s2i.engine.docker;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineProvider;
import io.s2i.engine.EngineUnavailableException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the Docker Engine API (also served by Podman's compatible socket) at {@code DOCKER_HOST},
 * honouring {@code DOCKER_API_VERSION} and, on TCP, TLS as {@link DockerTls} reads it from
 * {@code DOCKER_TLS}, {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH} and s2i's
 * {@code S2I_DOCKER_TLS_CA}, {@code S2I_DOCKER_TLS_CERT} and {@code S2I_DOCKER_TLS_KEY}.
 */
public final class DockerEngineProvider implements EngineProvider {
  static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
  private static final Logger LOG = LoggerFactory.getLogger(DockerEngineProvider.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  // Only the probe has a response timeout: attach and wait legitimately block for a whole build.
  private static final Duration PROBE_RESPONSE_TIMEOUT = Duration.ofSeconds(15);
  private volatile Prepared prepared;

  @Override
  public String id() {
    return "docker";
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public ContainerEngine open(Map<String, String> environment) throws EngineUnavailableException {
    Prepared early = prepared;
    prepared = null;
    if (early != null) {
      if (early.environment().equals(environment)) {
        return early.join();
      }
      early.discard();
    }
    return connect(environment);
  }

  /** Probes the daemon and builds its client on a thread of its own; {@link #open} collects it. */
  @Override
  public void prepare(Map<String, String> environment) {
    Map<String, String> env = Map.copyOf(environment);
    CompletableFuture<DockerEngine> engine = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        engine.complete(connect(env));
      } catch (Throwable e) { // handed to open(), which reports it
        engine.completeExceptionally(e);
      }
    }, "s2i-docker-open");
    thread.setDaemon(true);
    thread.start();
    Prepared previous = prepared;
    prepared = new Prepared(env, engine);
    if (previous != null) {
      previous.discard();
    }
  }

  /** The variables of the environment this provider reads, for callers that name them. */
  public static final java.util.List<String> ENVIRONMENT = java.util.List.of("DOCKER_HOST",
      "DOCKER_API_VERSION", DockerTls.TLS, DockerTls.TLS_VERIFY, DockerTls.CERT_PATH, DockerTls.CA_FILE,
      DockerTls.CERT_FILE, DockerTls.KEY_FILE);

  private DockerEngine connect(Map<String, String> environment) throws EngineUnavailableException {
    String host = nonEmpty(environment.get("DOCKER_HOST")).orElse(DEFAULT_HOST);
    // A unix socket never uses TLS, whatever the environment says (as the docker CLI).
    Optional<DockerTls> tlsSettings = unixSocket(host).isPresent() ? Optional.empty()
        : DockerTls.fromEnvironment(environment);
    Optional<SSLContext> tls;
    try {
      tls = tlsSettings.isPresent() ? Optional.of(tlsSettings.get().context()) : Optional.empty();
    } catch (IOException | GeneralSecurityException e) {
      throw new EngineUnavailableException("cannot set up TLS for the Docker engine at " + host + " ("
          + tlsSettings.get().describe() + "): " + DockerErrors.message(e),
          "give readable PEM files with --ca, --cert and --key (or ca.pem, cert.pem and key.pem in"
              + " DOCKER_CERT_PATH)", e);
    }
    Optional<ApiVersion> server = probe(host, tls, tlsSettings);
    Optional<ApiVersion> override = nonEmpty(environment.get("DOCKER_API_VERSION")).flatMap(ApiVersion::parse);
    ApiVersion version = ApiVersion.negotiate(override, server, highestKnownByClient());
    LOG.debug("docker engine at {}: server API {}, using {}", host,
        server.map(ApiVersion::toString).orElse("not reported"), version);

    // docker-java's configuration is built with its client, on first use: making it reads the
    // docker config file through a Jackson mapper of its own and starts java.util.logging (for
    // Guava), some 100 ms of a build that on a unix socket may never need the client.
    Supplier<DockerConnection.Clients> clients = () -> {
      DefaultDockerClientConfig config = configBuilder(environment, host)
          .withApiVersion(RemoteApiVersion.create(version.major(), version.minor()))
          .build();
      DockerHttpClient http = httpClient(config.getDockerHost(), tls, Optional.empty());
      return new DockerConnection.Clients(DockerClientImpl.getInstance(config, http), http);
    };
    DockerConnection connection = new DockerConnection(clients, version, host,
        tls.map(context -> new DockerConnection.Tls(context, tlsSettings.get().verify())));
    RawRequests.warmUp();
    if (connection.unixSocket().isEmpty()) {
      try {
        connection.http(); // every request goes through it: built now, so a bad setting fails here
      } catch (RuntimeException e) {
        throw unavailable(host, tlsSettings, e);
      }
    }
    return new DockerEngine(connection);
  }

  /** An engine being opened by {@link #prepare} for one environment. */
  private record Prepared(Map<String, String> environment, CompletableFuture<DockerEngine> engine) {
    DockerEngine join() throws EngineUnavailableException {
      try {
        return engine.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof EngineUnavailableException unavailable) {
          throw unavailable;
        }
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw e;
      }
    }

    /** Closes the engine once it is open; nobody will use it. */
    void discard() {
      engine.thenAccept(DockerEngine::close);
    }
  }

  /**
   * The daemon's API version (empty when it answers without saying). A unix socket is asked with
   * the JDK alone ({@link UnixSocketPing}); other transports, and daemons whose {@code /_ping}
   * has no version header, through a docker-java client of their own with a response timeout.
   *
   * @throws EngineUnavailableException when it does not answer with success
   */
  private static Optional<ApiVersion> probe(String host, Optional<SSLContext> tls,
      Optional<DockerTls> tlsSettings) throws EngineUnavailableException {
    Optional<Path> socket = unixSocket(host);
    if (socket.isPresent()) {
      try {
        Optional<ApiVersion> version = UnixSocketPing.ping(socket.get(), PROBE_RESPONSE_TIMEOUT);
        if (version.isPresent()) {
          return version;
        }
      } catch (IOException | RuntimeException e) {
        throw unavailable(host, tlsSettings, e);
      }
    }
    DockerHttpClient probeClient;
    try {
      probeClient = httpClient(URI.create(host), tls, Optional.of(PROBE_RESPONSE_TIMEOUT));
    } catch (RuntimeException e) {
      throw unavailable(host, tlsSettings, e);
    }
    try (DockerHttpClient probe = probeClient) {
      return ApiVersionProbe.probe(probe);
    } catch (IOException | RuntimeException e) {
      throw unavailable(host, tlsSettings, e);
    }
  }

  /** The socket file of a {@code unix://} host; empty for other transports or a malformed host. */
  static Optional<Path> unixSocket(String host) {
    try {
      URI uri = URI.create(host);
      if ("unix".equalsIgnoreCase(uri.getScheme()) && uri.getPath() != null && !uri.getPath().isEmpty()) {
        return Optional.of(Path.of(uri.getPath()));
      }
    } catch (IllegalArgumentException malformed) {
      // left to docker-java, which reports it
    }
    return Optional.empty();
  }

  private static DefaultDockerClientConfig.Builder configBuilder(Map<String, String> env, String host) {
    String home = nonEmpty(env.get("HOME")).orElse(System.getProperty("user.home"));
    String dockerConfig = nonEmpty(env.get("DOCKER_CONFIG")).orElse(Path.of(home, ".docker").toString());
    DefaultDockerClientConfig.Builder builder =
        // Not createDefaultConfigBuilder(): it reads the process environment, and the caller's map
        // is the only environment that counts.
        new DefaultDockerClientConfig.Builder()
            .withDockerHost(host)
            .withRegistryUrl("https://index.docker.io/v1/")
            .withDockerConfig(dockerConfig)
            // TLS is DockerTls's, given to the transport: docker-java's own reads only a directory
            // (with BouncyCastle, which is not here) and always verifies.
            .withDockerTlsVerify(false);
    return builder;
  }

  private static DockerHttpClient httpClient(
      URI host, Optional<SSLContext> tls, Optional<Duration> responseTimeout) {
    ZerodepDockerHttpClient.Builder builder =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(host)
            .sslConfig(sslConfig(host, tls))
            .maxConnections(64)
            .connectionTimeout(CONNECT_TIMEOUT);
    responseTimeout.ifPresent(builder::responseTimeout);
    return builder.build();
  }

  /**
   * The TLS context (then a {@code tcp://} host is spoken to over HTTPS), none for plain HTTP, or
   * for a unix socket (which never uses TLS) a context that is never initialised: without any,
   * the client sets up the JDK's default TLS, trust store included.
   */
  private static SSLConfig sslConfig(URI host, Optional<SSLContext> tls) {
    if (tls.isPresent()) {
      SSLContext context = tls.get();
      return () -> context;
    }
    return "unix".equalsIgnoreCase(host.getScheme()) ? NoTlsContext::new : null;
  }

  /**
   * The newest API version docker-java declares. Read reflectively so that upgrading docker-java
   * raises it without a code change.
   */
  static ApiVersion highestKnownByClient() {
    ApiVersion best = new ApiVersion(1, 41);
    for (Field f : RemoteApiVersion.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == RemoteApiVersion.class) {
        try {
          Optional<ApiVersion> v = ApiVersion.parse(((RemoteApiVersion) f.get(null)).getVersion());
          if (v.isPresent() && v.get().compareTo(best) > 0) {
            best = v.get();
          }
        } catch (IllegalAccessException | RuntimeException ignored) {
          // not a version constant (UNKNOWN_VERSION has no numbers)
        }
      }
    }
    return best;
  }

  private static EngineUnavailableException unavailable(String host, Optional<DockerTls> tls, Throwable cause) {
    String suggestion;
    if (unixSocket(host).isPresent() || !host.startsWith("tcp://")) {
      suggestion = "start the Docker daemon (dockerd), or set DOCKER_HOST to a running engine's socket"
          + " (a Podman socket works too, e.g. unix:///run/user/1000/podman/podman.sock)";
    } else if (tls.isPresent()) {
      suggestion = "check that a daemon serves TLS at " + host + " and that it and these files fit each"
          + " other: " + tls.get().describe() + " (set with --tlsverify/--tls, --ca, --cert and --key, or"
          + " DOCKER_TLS_VERIFY and DOCKER_CERT_PATH)";
    } else {
      suggestion = "start a daemon listening at " + host + "; if it serves TLS (usually port 2376), add"
          + " --tlsverify with --ca, --cert and --key (or set DOCKER_TLS_VERIFY and DOCKER_CERT_PATH)";
    }
    return new EngineUnavailableException(
        "cannot connect to the Docker engine at " + host + ": " + DockerErrors.message(cause), suggestion,
        cause);
  }

  private static Optional<String> nonEmpty(String value) {
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }

  /** For tests: the endpoint this provider uses for {@code environment}. */
  static URI endpoint(Map<String, String> environment) {
    return URI.create(nonEmpty(environment.get("DOCKER_HOST")).orElse(DEFAULT_HOST));
  }
}
