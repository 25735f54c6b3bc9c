package io.s2i.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StreamPipeTest {
  @Test
  void carriesMoreThanItsCapacityInOrderThenEndOfStream() throws Exception {
    StreamPipe pipe = new StreamPipe(7);
    byte[] data = new byte[10_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try (OutputStream out = pipe.sink()) {
                out.write(data, 0, 5000);
                out.write(data, 5000, 5000);
              } catch (java.io.IOException e) {
                throw new RuntimeException(e);
              }
            });
    byte[] read = pipe.source().readAllBytes();
    writer.get(5, TimeUnit.SECONDS);
    assertThat(read).isEqualTo(data);
  }

  @Test
  void drainedOnlyAfterReaderSawEndOfStream() throws Exception {
    StreamPipe pipe = new StreamPipe(16);
    pipe.sink().write(new byte[] {1, 2, 3});
    pipe.sink().close();
    CompletableFuture<Void> drained =
        CompletableFuture.runAsync(
            () -> {
              try {
                pipe.awaitDrained();
              } catch (InterruptedException e) {
                throw new RuntimeException(e);
              }
            });
    Thread.sleep(100);
    assertThat(drained).isNotDone();
    InputStream in = pipe.source();
    assertThat(in.read(new byte[8])).isEqualTo(3);
    assertThat(drained).isNotDone();
    assertThat(in.read()).isEqualTo(-1);
    drained.get(5, TimeUnit.SECONDS);
  }

  @Test
  void writerBlockedOnFullPipeFailsWhenReaderCloses() throws Exception {
    StreamPipe pipe = new StreamPipe(4);
    CompletableFuture<Throwable> writer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                byte[] big = new byte[100];
                Arrays.fill(big, (byte) 1);
                pipe.sink().write(big);
                return null;
              } catch (java.io.IOException e) {
                return e;
              }
            });
    Thread.sleep(100);
    assertThat(writer).isNotDone();
    pipe.closeReadingEnd();
    assertThat(writer.get(5, TimeUnit.SECONDS)).isInstanceOf(StreamPipe.ReaderClosedException.class);
  }

  @Test
  void readAfterReaderClosedFails() {
    StreamPipe pipe = new StreamPipe(4);
    pipe.closeReadingEnd();
    assertThatThrownBy(() -> pipe.source().read()).isInstanceOf(java.io.IOException.class);
  }
}
