package io.s2i.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceMirrorTest {
  @TempDir Path tmp;
  Path src;

  @BeforeEach
  void tree() throws IOException {
    src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("app.txt"), "app");
    Files.createDirectories(src.resolve(".s2i/bin"));
    Files.writeString(src.resolve(".s2i/bin/assemble"), "#!/bin/sh\n");
    Files.writeString(src.resolve(".s2i/environment"), "A=1\n");
    Files.createDirectories(src.resolve("lib/deep"));
    Files.writeString(src.resolve("lib/deep/x.bin"), "x");
    Files.writeString(src.resolve("lib-notes.txt"), "sorted after lib/ by name, not inside it");
    Files.createSymbolicLink(src.resolve("link"), Path.of("app.txt"));
    Files.createDirectories(src.resolve(".git"));
    Files.writeString(src.resolve(".git/HEAD"), "ref: refs/heads/main\n");
  }

  private static String mirrorOf(DirectoryTree tree, SourceMirror scanned) throws IOException {
    InputArchiveTest.CollectingMirror m = new InputArchiveTest.CollectingMirror();
    InputArchive.Builder b = InputArchive.builder().source(tree).mirrorOnly(m);
    if (scanned != null) {
      b.scanned(scanned);
    }
    b.build().writeTo(OutputStream.nullOutputStream());
    assertThat(m.completed).hasSize(1);
    return new String(m.completed.get(0), StandardCharsets.UTF_8);
  }

  @Test
  void replayedRecordsAreThoseOfAWalkWithTheLaterFilter() throws IOException {
    // Scanned before the scripts were known: only .git is left out.
    DirectoryTree early = new DirectoryTree(src, "src", p -> p.equals(".git"), true);
    SourceMirror scanned = SourceMirror.scan(early, ContentHashes.NONE);
    // The build then moved the assemble script out and leaves out a whole directory.
    Set<String> later = Set.of(".git", ".s2i/bin/assemble", "lib");
    DirectoryTree tree = new DirectoryTree(src, "src", later::contains, true);

    String walked = mirrorOf(tree, null);
    String replayed = mirrorOf(tree, scanned);

    assertThat(replayed).isEqualTo(walked);
    assertThat(replayed).contains("src/app.txt\0", "src/.s2i/environment\0", "src/lib-notes.txt\0", "src/link\0")
        .doesNotContain(".s2i/bin/assemble", "src/lib/", "deep/x.bin", ".git");
  }

  @Test
  void aScanOfAnotherTreeIsNotUsed() throws IOException {
    DirectoryTree tree = new DirectoryTree(src, "src", p -> false, true);
    SourceMirror scanned = SourceMirror.scan(tree, ContentHashes.NONE);

    assertThat(scanned.covers(tree)).isTrue();
    assertThat(scanned.covers(new DirectoryTree(src, "src", p -> false, false))).isFalse();
    assertThat(scanned.covers(new DirectoryTree(src.resolve("lib"), "src", p -> false, true))).isFalse();

    Files.writeString(src.resolve("app.txt"), "changed after the scan");
    DirectoryTree followed = new DirectoryTree(src, "src", p -> false, false);
    assertThat(mirrorOf(followed, scanned)).isEqualTo(mirrorOf(followed, null));
  }
}
