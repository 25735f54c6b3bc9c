package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ArchiveWriterTest {
  @Test
  void deliversTheArchiveAndRunsTheFollowUp() throws Exception {
    CountDownLatch after = new CountDownLatch(1);
    ArchiveWriter writer = ArchiveWriter.start(out -> out.write("abc".getBytes()), "t", after::countDown);
    assertThat(new String(writer.input().readAllBytes())).isEqualTo("abc");
    assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(writer.finish()).isEmpty();
  }

  @Test
  void failureOfTheArchiveItselfIsReported() throws Exception {
    ArchiveWriter writer =
        ArchiveWriter.start(
            out -> {
              out.write(1);
              throw new IOException("source file vanished");
            },
            "t",
            () -> {});
    writer.input().readAllBytes();
    assertThat(writer.finish()).get().extracting(Throwable::getMessage).isEqualTo("source file vanished");
  }

  @Test
  void receiverGoingAwayIsNotAnArchiveFailure() throws Exception {
    // An endless archive: only the consumer's departure can end it.
    ArchiveWriter writer =
        ArchiveWriter.start(
            out -> {
              while (true) {
                out.write(new byte[4096]);
              }
            },
            "t",
            () -> {});
    writer.input().read(new byte[10]);
    assertThat(writer.finish()).isEmpty();
  }
}
