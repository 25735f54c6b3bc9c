package io.s2i.internal.build.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.s2i.api.EventSink;
import io.s2i.api.RunOptions;
import io.s2i.engine.ArchiveSource;
import io.s2i.internal.archive.TarSourceException;
import io.s2i.internal.build.AssembleCommand;
import io.s2i.internal.build.AssemblePlan;
import io.s2i.internal.contract.ScriptName;
import io.s2i.engine.CommitSpec;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerRunner;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.ExitStatus;
import io.s2i.engine.OutputSink;
import io.s2i.engine.ImageInfo;
import io.s2i.internal.scripts.ResolvedScript;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipe protocol between save-artifacts, s2i and the assemble container, with both containers
 * played by threads on this host (the Docker ITs run it with real ones).
 */
class ArtifactsHandOverTest {
  private static final Duration HANG = Duration.ofSeconds(20);
  @TempDir Path work;

  @Test
  void theArtifactsReachTheReaderAndAssembleIsToldToGoOn() {
    assertTimeoutPreemptively(HANG, () -> {
      FakeSaver saver = new FakeSaver(tar("deps/", "deps/lib.jar"), 0);
      try (ArtifactsHandOver handOver = ArtifactsHandOver.create(work, step(saver), w -> {})) {
        CompletableFuture<Received> assemble = assembleSide(handOver);
        handOver.start();
        Received received = assemble.get();
        assertThat(received.entries()).containsExactly("deps/", "deps/lib.jar");
        assertThat(received.answer()).isEqualTo("ok");
        assertThat(handOver.finish()).isEmpty();
        assertThat(saver.spec.entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(saver.spec.cmd()).containsExactly(
            "exec /usr/libexec/s2i/save-artifacts > " + ArtifactsHandOver.MOUNT + "/out");
        assertThat(saver.spec.binds()).containsExactly(handOver.bind());
        assertThat(handOver.bind()).endsWith(":" + ArtifactsHandOver.MOUNT + ":z");
        assertThat(handOver.metadata()).isEmpty();
      }
    });
  }

  @Test
  void aHostileEntryStopsSaveArtifactsAndAssembleIsToldNotTo() {
    assertTimeoutPreemptively(HANG, () -> {
      FakeSaver saver = new FakeSaver(tar("ok.txt", "../escape.txt"), 0);
      try (ArtifactsHandOver handOver = ArtifactsHandOver.create(work, step(saver), w -> {})) {
        CompletableFuture<Received> assemble = assembleSide(handOver);
        handOver.start();
        assertThat(assemble.get().answer()).isEqualTo("no");
        Optional<TarSourceException> failure = handOver.finish();
        assertThat(failure).get().extracting(Throwable::getMessage).asString()
            .contains("refusing archive entry that leaves its directory: ../escape.txt");
        assertThat(saver.closed).isTrue();
      }
    });
  }

  @Test
  void aFailedSaveArtifactsIsNamedWithItsStatus() {
    assertTimeoutPreemptively(HANG, () -> {
      FakeSaver saver = new FakeSaver(new byte[0], 3);
      try (ArtifactsHandOver handOver = ArtifactsHandOver.create(work, step(saver), w -> {})) {
        CompletableFuture<Received> assemble = assembleSide(handOver);
        handOver.start();
        assertThat(assemble.get().answer()).isEqualTo("no");
        assertThat(handOver.finish()).get().extracting(Throwable::getMessage).asString()
            .contains("save-artifacts exited with status 3 in previous:1");
      }
    });
  }

  @Test
  void anAssembleContainerThatEndedWithoutReadingLeavesNothingWaiting() {
    assertTimeoutPreemptively(HANG, () -> {
      FakeSaver saver = new FakeSaver(tar("deps/", "deps/lib.jar"), 0);
      Path dir;
      try (ArtifactsHandOver handOver = ArtifactsHandOver.create(work, step(saver), w -> {})) {
        dir = handOver.directory();
        handOver.start();
        // Nobody opens "in": the relay waits there until the hand-over is abandoned.
        assertThat(handOver.finish()).isEmpty();
      }
      assertThat(dir).doesNotExist();
    });
  }

  @Test
  void theMetadataFileTheContainerCopiedIsReadBack() throws Exception {
    FakeSaver saver = new FakeSaver(tar("a.txt"), 0);
    try (ArtifactsHandOver handOver = ArtifactsHandOver.create(work, step(saver), w -> {})) {
      Path dir = handOver.directory();
      Path copy = dir.resolve(AssembleCommand.METADATA_COPY);
      assertThat(Files.getPosixFilePermissions(copy)).hasSize(6); // rw for everyone, no x
      Files.writeString(copy, "{\"labels\":[]}");
      assertThat(handOver.metadata()).get().extracting(b -> new String(b, StandardCharsets.UTF_8))
          .isEqualTo("{\"labels\":[]}");
    }
  }

  private record Received(List<String> entries, String answer) {}

  /** Plays the assemble container: reads "in" to its end, then the answer on "go". */
  private static CompletableFuture<Received> assembleSide(ArtifactsHandOver handOver) {
    Path dir = handOver.directory();
    CompletableFuture<Received> done = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        List<String> names = new ArrayList<>();
        try (InputStream in = new FileInputStream(dir.resolve("in").toFile())) {
          ByteArrayOutputStream read = new ByteArrayOutputStream();
          in.transferTo(read); // not readAllBytes: on JDK 17 it asks a pipe for its position
          byte[] all = read.toByteArray();
          try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(all))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
              names.add(e.getName());
            }
          } catch (IOException truncated) {
            // a refused stream ends early: the answer tells
          }
        }
        try (BufferedReader go = new BufferedReader(new InputStreamReader(
            new FileInputStream(dir.resolve("go").toFile()), StandardCharsets.US_ASCII))) {
          done.complete(new Received(names, go.readLine()));
        }
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    }, "fake-assemble");
    t.setDaemon(true);
    t.start();
    return done;
  }

  private static byte[] tar(String... names) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (String name : names) {
        boolean dir = name.endsWith("/");
        TarArchiveEntry e = new TarArchiveEntry(name, dir ? TarConstants.LF_DIR : TarConstants.LF_NORMAL, true);
        byte[] content = dir ? new byte[0] : ("content of " + name).getBytes(StandardCharsets.UTF_8);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static SaveArtifactsStep step(FakeSaver saver) {
    ImageInfo previous = new ImageInfo("sha256:prev", Map.of(), List.of(), "1001", "", List.of(), List.of(),
        List.of(), 0);
    AssemblePlan plan = new AssemblePlan("builder:1", null, null,
        Map.of(ScriptName.SAVE_ARTIFACTS, new ResolvedScript.InImage(ScriptName.SAVE_ARTIFACTS,
            "/usr/libexec/s2i/save-artifacts", "image")),
        "/tmp", "", List.of(), List.of());
    return new SaveArtifactsStep(saver, EventSink.discard(), previous, "previous:1", plan, RunOptions.defaults());
  }

  /** Plays the save-artifacts container: writes {@code output} into the pipe it was given. */
  private static final class FakeSaver implements ContainerRunner, ContainerHandle {
    private final byte[] output;
    private final int status;
    volatile ContainerSpec spec;
    volatile boolean closed;

    FakeSaver(byte[] output, int status) {
      this.output = output;
      this.status = status;
    }

    @Override
    public ContainerHandle create(ContainerSpec spec) {
      this.spec = spec;
      return this;
    }

    @Override
    public String id() {
      return "fake-saver";
    }

    @Override
    public void copyIn(String directory, ArchiveSource archive) {}

    @Override
    public ExitStatus run(Optional<ArchiveSource> stdin, OutputSink sink) {
      String bind = spec.binds().get(spec.binds().size() - 1);
      Path out = Path.of(bind.substring(0, bind.indexOf(':'))).resolve("out");
      try (OutputStream o = new FileOutputStream(out.toFile())) {
        o.write(output);
      } catch (IOException e) {
        return new ExitStatus(141, false); // SIGPIPE, as a killed writer
      }
      return new ExitStatus(closed ? 137 : status, false);
    }

    @Override
    public ExitStatus runCapturingStdout(OutputStream stdout, OutputSink stderr) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean copyOut(String path, OutputStream out) {
      return false;
    }

    @Override
    public String commit(CommitSpec spec) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
