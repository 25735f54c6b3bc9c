package io.s2i.engine.docker;

import io.s2i.engine.ArchiveSource;
import io.s2i.engine.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an archive into a container's stdin and then closes it, so that a reader such as
 * {@code tar -xf -} sees end of file.
 *
 * <p>Why a connection of its own: docker-java's transports (zerodep included) copy the hijacked
 * input to the socket but never half-close it at end of input, so the daemon would never close
 * the container's stdin, and closing the whole connection instead loses the input's tail over TLS.
 * This class therefore attaches <em>stdin only</em> with the JDK, on a unix socket
 * ({@link UnixStdinAttach}) or TCP with or without TLS ({@link TcpStdinAttach}): big writes, a
 * half-close at the end. With {@code StdinOnce} the daemon then closes the container's stdin.
 * Output travels on a separate attachment ({@link OutputAttachment}) that this does not touch.
 */
final class StdinFeeder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StdinFeeder.class);

  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

  private final ArchiveWriter writer;
  private final StdinConnection connection;
  private final AtomicBoolean connectionClosed = new AtomicBoolean();

  private StdinFeeder(ArchiveSource archive, String containerId, Runnable stopContainer, StdinConnection connection) {
    this.writer = new ArchiveWriter(archive, "s2i-stdin-" + shortId(containerId), () -> { }, stopContainer);
    this.connection = connection;
  }

  /** Attaches to the container's stdin and starts streaming {@code archive} into it. */
  static StdinFeeder attach(DockerConnection docker, String containerId, ArchiveSource archive)
      throws EngineException {
    Runnable kill = () -> {
      try {
        RawRequests.post(docker, "/containers/" + containerId + "/kill");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    StdinConnection stdin;
    try {
      Optional<Path> socket = docker.unixSocket();
      stdin = socket.isPresent()
          ? UnixStdinAttach.open(socket.get(), docker.apiVersion().pathPrefix(), containerId, ATTACH_TIMEOUT)
          : TcpStdinAttach.open(URI.create(docker.endpoint()), docker.tls(), docker.apiVersion().pathPrefix(),
              containerId, ATTACH_TIMEOUT);
    } catch (IOException | RuntimeException e) {
      throw new EngineException("cannot attach to the stdin of container " + containerId + ": "
          + DockerErrors.message(e), e);
    }
    // The pump half-closes the connection at the end of the archive: nothing to close after it.
    StdinFeeder feeder = new StdinFeeder(archive, containerId, kill, stdin);
    feeder.writer.start();
    Thread pump = new Thread(() -> {
      try (InputStream in = feeder.writer.input()) {
        stdin.pump(in);
      } catch (IOException e) {
        // The container exited without reading all of it: its exit status tells.
        LOG.debug("stdin stream to container {} ended: {}", shortId(containerId), e.toString());
      }
    }, "s2i-stdin-pump-" + shortId(containerId));
    pump.setDaemon(true);
    pump.start();
    return feeder;
  }

  private void closeConnection() {
    if (connectionClosed.compareAndSet(false, true)) {
      connection.close();
    }
  }

  /**
   * Ends streaming (if still going) and returns how the archive itself failed, if it did. A
   * container that stopped reading early is not a failure here: its exit status tells.
   */
  Optional<Throwable> finish() {
    Optional<Throwable> failure = writer.finish();
    closeConnection();
    return failure;
  }

  @Override
  public void close() {
    finish();
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
