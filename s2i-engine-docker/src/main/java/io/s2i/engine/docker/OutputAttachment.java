package io.s2i.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.s2i.engine.EngineException;
import io.s2i.engine.OutputSink;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's stdout and stderr, attached before it starts so that no output is lost, and
 * delivered to an {@link OutputSink} line by line.
 */
final class OutputAttachment implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutputAttachment.class);
  private final java.util.function.Consumer<byte[]> stdout;
  private final LineSplitter stdoutLines;
  private final LineSplitter stderr;
  private final QuietCallback<Frame> callback =
      new QuietCallback<>() {
        @Override
        public void onNext(Frame frame) {
          // Without a TTY every frame is STDOUT or STDERR; RAW only appears with one.
          if (frame.getStreamType() == StreamType.STDERR) {
            stderr.accept(frame.getPayload());
          } else if (frame.getStreamType() != StreamType.STDIN) {
            stdout.accept(frame.getPayload());
          }
        }
      };

  private OutputAttachment(OutputSink sink, java.io.OutputStream rawStdout) {
    if (rawStdout == null) {
      stdoutLines = new LineSplitter(sink::stdout);
      stdout = stdoutLines::accept;
    } else {
      stdoutLines = null;
      stdout = bytes -> {
        try {
          rawStdout.write(bytes);
          // The reader may be a pipe that only wakes on flush.
          rawStdout.flush();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
    }
    stderr = new LineSplitter(sink::stderr);
  }

  /** Attaches to the (not yet started) container and waits until the daemon has accepted. */
  static OutputAttachment attach(DockerClient client, String containerId, OutputSink sink)
      throws EngineException, InterruptedException {
    return attach(client, containerId, sink, null);
  }

  /**
   * Like {@link #attach(DockerClient, String, OutputSink)}, with stdout passed byte for byte to
   * {@code rawStdout} instead of being cut into lines.
   */
  static OutputAttachment attach(
      DockerClient client, String containerId, OutputSink sink, java.io.OutputStream rawStdout)
      throws EngineException, InterruptedException {
    OutputAttachment attachment = new OutputAttachment(sink, rawStdout);
    try {
      client
          .attachContainerCmd(containerId)
          .withStdOut(true)
          .withStdErr(true)
          .withFollowStream(true)
          .withLogs(false)
          .exec(attachment.callback)
          .awaitStarted();
    } catch (RuntimeException e) {
      attachment.close();
      throw new EngineException(
          "cannot attach to container " + containerId + ": " + DockerErrors.message(e), e);
    } catch (InterruptedException e) {
      attachment.close();
      throw e;
    }
    if (attachment.callback.error().isPresent()) {
      Throwable e = attachment.callback.error().get();
      throw new EngineException(
          "cannot attach to container " + containerId + ": " + DockerErrors.message(e), e);
    }
    return attachment;
  }

  /**
   * Waits for the output to end (the daemon closes it when the container exits), then delivers
   * any last partial lines.
   */
  void awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      callback.awaitCompletion(timeout, unit);
      // The exit status is what matters; output lost to a broken connection cannot be recovered.
      callback.error().ifPresent(e -> LOG.debug("output stream ended with an error", e));
    } finally {
      if (stdoutLines != null) {
        stdoutLines.flush();
      }
      stderr.flush();
    }
  }

  @Override
  public void close() {
    try {
      callback.close();
    } catch (IOException | RuntimeException ignored) {
      // the stream is being abandoned
    }
  }
}
