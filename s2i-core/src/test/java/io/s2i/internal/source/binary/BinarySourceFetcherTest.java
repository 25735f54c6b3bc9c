package io.s2i.internal.source.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.BinaryInput;
import io.s2i.api.EventSink;
import io.s2i.api.SourceSpec;
import io.s2i.internal.build.Workspace;
import io.s2i.internal.build.step.FetchSourceStep;
import io.s2i.internal.source.PreparedSource;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single-file source through the build's source fetch: kept whole, renamed or unpacked. */
class BinarySourceFetcherTest {
  @TempDir Path tmp;

  private PreparedSource fetch(SourceSpec spec, Workspace ws) throws Exception {
    return new FetchSourceStep(EventSink.discard(), ws).run(spec);
  }

  private static java.util.List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aFileArrivesAloneUnderItsNameOrAsFile() throws Exception {
    Path exe = Files.copy(Path.of("/bin/true"), tmp.resolve("server"));
    try (Workspace ws = Workspace.create(false)) {
      PreparedSource src = fetch(SourceSpec.local(exe.toString()), ws);
      assertThat(names(src.root())).containsExactly("server");
      assertThat(Files.isExecutable(src.root().resolve("server"))).isTrue();
      assertThat(src.info().location()).isEqualTo(exe.toString());
    }
    try (Workspace ws = Workspace.create(false)) {
      PreparedSource src = fetch(SourceSpec.local(exe.toString())
          .withBinary(new BinaryInput(Optional.of("app"), BinaryInput.Archive.AUTO, null)), ws);
      assertThat(names(src.root())).containsExactly("app");
    }
  }

  @Test
  void anArchiveIsUnpackedAndItsContextDirApplies() throws Exception {
    Path archive = tmp.resolve("src.tar.gz");
    try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(archive));
         TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      TarArchiveEntry e = new TarArchiveEntry("app/hello.txt");
      e.setSize(3);
      tar.putArchiveEntry(e);
      tar.write("hi\n".getBytes());
      tar.closeArchiveEntry();
    }
    try (Workspace ws = Workspace.create(false)) {
      SourceSpec spec = new SourceSpec(archive.toString(), Optional.empty(), Optional.of("app"), false, false,
          SourceSpec.DEFAULT_EXCLUDE, false);
      PreparedSource src = fetch(spec, ws);
      assertThat(names(src.root())).containsExactly("hello.txt");
      assertThat(src.root()).startsWith(ws.root());
    }
    try (Workspace ws = Workspace.create(false)) {
      PreparedSource kept = fetch(SourceSpec.local(archive.toString())
          .withBinary(new BinaryInput(Optional.of("src.tgz"), BinaryInput.Archive.AUTO, null)), ws);
      assertThat(names(kept.root())).as("--as-file keeps an archive whole").containsExactly("src.tgz");
    }
  }

  @Test
  void badNamesAndAContextDirOnAFileAreRefusedAndLeaveNothing() throws Exception {
    Path exe = Files.copy(Path.of("/bin/true"), tmp.resolve("server"));
    try (Workspace ws = Workspace.create(false)) {
      assertThatThrownBy(() -> fetch(SourceSpec.local(exe.toString())
          .withBinary(new BinaryInput(Optional.of("../x"), BinaryInput.Archive.AUTO, null)), ws))
          .hasMessageContaining("--as-file \"../x\" is not a file name");
      SourceSpec withContext = new SourceSpec(exe.toString(), Optional.empty(), Optional.of("sub"), false, false,
          SourceSpec.DEFAULT_EXCLUDE, false);
      assertThatThrownBy(() -> fetch(withContext, ws)).hasMessageContaining("needs a directory or an archive");
      assertThat(Files.exists(ws.root().resolve("upload/src"))).isFalse();
    }
  }
}
