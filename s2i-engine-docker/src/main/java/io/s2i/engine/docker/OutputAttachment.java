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
  private final LineSplitter stdout;
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

  private OutputAttachment(OutputSink sink) {
    stdout = new LineSplitter(sink::stdout);
    stderr = new LineSplitter(sink::stderr);
  }

  /** Attaches to the (not yet started) container and waits until the daemon has accepted. */
  static OutputAttachment attach(DockerClient client, String containerId, OutputSink sink)
      throws EngineException, InterruptedException {
    OutputAttachment attachment = new OutputAttachment(sink);
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
      stdout.flush();
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
