package io.s2i.engine.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import io.s2i.engine.ArchiveSource;
import io.s2i.engine.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an archive into a container's stdin and then closes it, so that a reader such as
 * {@code tar -xf -} sees end of file.
 *
 * <p>Why a connection of its own: docker-java's transports (zerodep included) copy the hijacked
 * input to the socket but never half-close it at end of input, so the daemon would never close
 * the container's stdin. This class therefore attaches <em>stdin only</em>: on a unix socket with
 * the JDK ({@link UnixStdinAttach}: big writes, a half-close at the end); elsewhere through
 * docker-java, closing that whole connection once the transport has read the archive to its end.
 * With {@code StdinOnce} the daemon then closes the container's stdin. Output travels on a
 * separate attachment ({@link OutputAttachment}) that this close does not touch.
 */
final class StdinFeeder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StdinFeeder.class);

  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

  private final ArchiveWriter writer;
  // Completed once the daemon accepted the attach; the writer thread may finish before that.
  private final CompletableFuture<AutoCloseable> connection = new CompletableFuture<>();
  private final AtomicBoolean connectionClosed = new AtomicBoolean();

  private StdinFeeder(ArchiveSource archive, String containerId, Runnable stopContainer, boolean closeWhenConsumed) {
    // Created here, started by attach(): the follow-up must not run before this field is set.
    this.writer = new ArchiveWriter(archive, "s2i-stdin-" + shortId(containerId),
        closeWhenConsumed ? this::closeWhenConsumed : () -> { }, stopContainer);
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
    Optional<Path> socket = docker.unixSocket();
    return socket.isPresent() ? attachUnix(docker, socket.get(), containerId, archive, kill)
        : attachHijacked(docker, containerId, archive, kill);
  }

  /** Over a unix socket of our own ({@link UnixStdinAttach}), pumped on a thread of ours. */
  private static StdinFeeder attachUnix(DockerConnection docker, Path socket, String containerId,
      ArchiveSource archive, Runnable kill) throws EngineException {
    UnixStdinAttach stdin;
    try {
      stdin = UnixStdinAttach.open(socket, docker.apiVersion().pathPrefix(), containerId, ATTACH_TIMEOUT);
    } catch (IOException e) {
      throw new EngineException("cannot attach to the stdin of container " + containerId + ": "
          + DockerErrors.message(e), e);
    }
    // The pump half-closes the connection at the end of the archive: nothing to close after it.
    StdinFeeder feeder = new StdinFeeder(archive, containerId, kill, false);
    feeder.connection.complete(stdin);
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

  /** Through docker-java's transport, for daemons not on a unix socket. */
  private static StdinFeeder attachHijacked(DockerConnection docker, String containerId,
      ArchiveSource archive, Runnable kill) throws EngineException {
    StdinFeeder feeder = new StdinFeeder(archive, containerId, kill, true);
    feeder.writer.start();
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.POST)
            .path(
                docker.apiVersion().pathPrefix()
                    + "/containers/"
                    + containerId
                    + "/attach?stream=1&stdin=1&stdout=0&stderr=0")
            .hijackedInput(new QuietHijackInput(feeder.writer.input()))
            .build();
    try {
      // Returns once the daemon has switched protocols; the transport then pumps the input.
      feeder.connection.complete(docker.http().execute(request));
    } catch (RuntimeException e) {
      feeder.connection.cancel(false);
      feeder.close();
      throw new EngineException(
          "cannot attach to the stdin of container " + containerId + ": " + DockerErrors.message(e),
          e);
    }
    return feeder;
  }

  /** Runs on the writer thread after the whole archive went into the pipe. */
  private void closeWhenConsumed() {
    try {
      writer.awaitConsumed();
    } catch (InterruptedException e) {
      return; // close() is tearing everything down anyway
    }
    // Everything read was written and flushed by the transport before it saw end of input.
    closeConnection();
  }

  private void closeConnection() {
    connection.thenAccept(
        c -> {
          if (connectionClosed.compareAndSet(false, true)) {
            try {
              c.close();
            } catch (Exception e) {
              LOG.debug("closing the stdin connection failed: {}", e.toString());
            }
          }
        });
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

  /**
   * The transport copies stdin on a thread of its own and lets a write error (the container
   * exited and the daemon hung up) escape as an uncaught exception, which the JVM prints to
   * stderr. This stream is read on that thread, so it gives the thread a handler that logs instead.
   */
  private static final class QuietHijackInput extends InputStream {
    private final InputStream in;
    private boolean handlerInstalled;

    QuietHijackInput(InputStream in) {
      this.in = in;
    }

    private void installHandler() {
      if (!handlerInstalled) {
        handlerInstalled = true;
        Thread.currentThread()
            .setUncaughtExceptionHandler(
                (t, e) -> LOG.debug("stdin stream to the container ended: {}", e.toString()));
      }
    }

    @Override
    public int read() throws IOException {
      installHandler();
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      installHandler();
      return in.read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
