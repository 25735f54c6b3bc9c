package io.s2i.internal.build.step;

import io.s2i.internal.archive.StreamPipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Connects a producer that writes a stream (a container handing out a tar) to a consumer that
 * reads it, through memory only: the producer runs on a thread of its own.
 */
final class TarPipe {
  private static final int BUFFER = 1 << 20;

  private TarPipe() {}

  /** Writes the stream. */
  @FunctionalInterface
  interface Producer<T> {
    T produce(OutputStream out) throws Exception;
  }

  /** Reads the stream to its end. */
  @FunctionalInterface
  interface Consumer {
    void consume(InputStream in) throws IOException;
  }

  /**
   * Runs both; returns the producer's result. When the consumer fails, {@code onConsumerFailure}
   * runs first (to stop a producer that may be blocked writing), then the failure is rethrown.
   */
  static <T> T connect(String name, Producer<T> producer, Consumer consumer, Runnable onConsumerFailure)
      throws IOException, ExecutionException, InterruptedException {
    // Not java.io's piped streams: the bytes are written by whatever thread the engine delivers
    // a container's output on, and a PipedInputStream fails ("Write end dead") when that thread
    // ends before the producer closes the stream.
    StreamPipe pipe = new StreamPipe(BUFFER);
    OutputStream out = pipe.sink();
    InputStream in = pipe.source();
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(producer.produce(out));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      } finally {
        try {
          out.close();
        } catch (IOException ignored) {
          // the reader is gone
        }
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    try (InputStream stream = in) {
      consumer.consume(stream);
    } catch (IOException | RuntimeException e) {
      onConsumerFailure.run();
      throw e;
    }
    return result.get();
  }
}
