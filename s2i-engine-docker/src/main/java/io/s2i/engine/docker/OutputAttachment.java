package io.s2i.engine.docker;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.s2i.engine.EngineException;
import io.s2i.engine.OutputSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's stdout and stderr, attached before it starts so that no output is lost, and
 * delivered to an {@link OutputSink} line by line (or stdout byte for byte to a stream). On a unix
 * socket the attach is the JDK's ({@link UnixOutputAttach}); elsewhere docker-java's.
 */
final class OutputAttachment implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutputAttachment.class);
  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);
  private static final int STDIN = 0;
  private static final int STDOUT = 1;
  private static final int STDERR = 2;

  private final LineSplitter stdoutLines;
  private final OutputStream rawStdout;
  private final LineSplitter stderr;
  private QuietCallback<Frame> callback;
  private UnixOutputAttach unix;

  private OutputAttachment(OutputSink sink, OutputStream rawStdout) {
    this.rawStdout = rawStdout;
    this.stdoutLines = rawStdout == null ? new LineSplitter(sink::stdout) : null;
    this.stderr = new LineSplitter(sink::stderr);
  }

  /** Hands on {@code length} bytes of one of the container's streams. */
  private void deliver(int stream, byte[] bytes, int offset, int length) throws IOException {
    if (stream == STDERR) {
      stderr.accept(bytes, offset, length);
    } else if (stream != STDIN) {
      if (rawStdout == null) {
        stdoutLines.accept(bytes, offset, length);
      } else {
        rawStdout.write(bytes, offset, length);
        // The reader may be a pipe that only wakes on flush.
        rawStdout.flush();
      }
    }
  }

  /**
   * Attaches to the (not yet started) container and waits until the daemon has accepted; with a
   * {@code rawStdout}, stdout goes there byte for byte instead of being cut into lines.
   */
  static OutputAttachment attach(DockerConnection docker, String containerId, OutputSink sink,
      OutputStream rawStdout) throws EngineException, InterruptedException {
    OutputAttachment attachment = new OutputAttachment(sink, rawStdout);
    Optional<Path> socket = docker.unixSocket();
    try {
      if (socket.isPresent()) {
        attachment.unix = UnixOutputAttach.open(socket.get(), docker.apiVersion().pathPrefix(), containerId,
            ATTACH_TIMEOUT, attachment::deliver);
      } else {
        attachment.attachThroughDockerJava(docker, containerId);
      }
    } catch (IOException | RuntimeException e) {
      attachment.close();
      throw new EngineException(
          "cannot attach to container " + containerId + ": " + DockerErrors.message(e), e);
    } catch (InterruptedException e) {
      attachment.close();
      throw e;
    }
    return attachment;
  }

  private void attachThroughDockerJava(DockerConnection docker, String containerId)
      throws InterruptedException, IOException {
    callback = new QuietCallback<>() {
      @Override
      public void onNext(Frame frame) {
        // Without a TTY every frame is STDOUT or STDERR; RAW only appears with one.
        int stream = frame.getStreamType() == StreamType.STDERR ? STDERR
            : frame.getStreamType() == StreamType.STDIN ? STDIN : STDOUT;
        try {
          deliver(stream, frame.getPayload(), 0, frame.getPayload().length);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
    docker.client()
        .attachContainerCmd(containerId)
        .withStdOut(true)
        .withStdErr(true)
        .withFollowStream(true)
        .withLogs(false)
        .exec(callback)
        .awaitStarted();
    if (callback.error().isPresent()) {
      Throwable e = callback.error().get();
      throw new IOException(DockerErrors.message(e), e);
    }
  }

  /**
   * Waits for the output to end (the daemon closes it when the container exits), then delivers
   * any last partial lines.
   */
  void awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      Optional<Throwable> error;
      if (unix != null) {
        error = unix.awaitEnd(timeout, unit);
      } else {
        callback.awaitCompletion(timeout, unit);
        error = callback.error();
      }
      // The exit status is what matters; output lost to a broken connection cannot be recovered.
      error.ifPresent(e -> LOG.debug("output stream ended with an error", e));
    } finally {
      if (stdoutLines != null) {
        stdoutLines.flush();
      }
      stderr.flush();
    }
  }

  @Override
  public void close() {
    if (unix != null) {
      unix.close();
    }
    if (callback != null) {
      try {
        callback.close();
      } catch (IOException | RuntimeException ignored) {
        // the stream is being abandoned
      }
    }
  }
}
