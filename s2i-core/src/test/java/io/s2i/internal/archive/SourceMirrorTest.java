package io.s2i.internal.archive;

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
    return mirrorOf(tree, scanned, ContentHashes.NONE);
  }

  private static String mirrorOf(DirectoryTree tree, SourceMirror scanned, ContentHashes hashes) throws IOException {
    InputArchiveTest.CollectingMirror m = new InputArchiveTest.CollectingMirror() {
      @Override
      public ContentHashes hashes() {
        return hashes;
      }
    };
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

  @Test
  void aScanMakesTheRecordsOfAnArchiveForEveryKindOfEntry() throws IOException {
    Files.writeString(src.resolve("deep-" + "d".repeat(120) + "-n\u00e4me.txt"), "long and non-ASCII");
    Files.createFile(src.resolve("empty"));
    Path tool = Files.writeString(src.resolve("tool.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
    Path secret = Files.writeString(src.resolve("private.key"), "k");
    Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(src.resolve("broken"), Path.of("no-such-file"));
    Files.createSymbolicLink(src.resolve("lib-link"), Path.of("lib"));
    Path outside = Files.writeString(tmp.resolve("outside.txt"), "followed");
    Files.createSymbolicLink(src.resolve("outside"), outside);
    // Digests known from an earlier run are used as they are, by both.
    ContentHashes knowsApp = new ContentHashes() {
      @Override
      public java.util.Optional<byte[]> known(Path file, FileStamp stamp) {
        return file.getFileName().toString().equals("app.txt") ? java.util.Optional.of(new byte[32])
            : java.util.Optional.empty();
      }

      @Override
      public void learned(Path file, FileStamp stamp, byte[] sha256) {}
    };

    for (boolean keepSymlinks : new boolean[] {true, false}) {
      DirectoryTree tree = new DirectoryTree(src, "src", p -> p.equals(".git"), keepSymlinks);
      String walked = mirrorOf(tree, null, knowsApp);
      assertThat(mirrorOf(tree, SourceMirror.scan(tree, knowsApp), knowsApp)).isEqualTo(walked);
      assertThat(walked).contains("src/app.txt\0000644\0\0" + "0".repeat(64), "n\u00e4me.txt\0",
          "src/tool.sh\0000750\0", "src/private.key\0000600\0", "src/empty\0000644\0\0"
          + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "src/broken\0002777\0no-such-file\0-");
      if (keepSymlinks) {
        assertThat(walked).contains("src/lib-link\0002777\0lib\0-", "src/outside\0002777\0" + outside + "\0-");
      } else {
        assertThat(walked).contains("src/lib-link/\0005755\0\0-", "src/lib-link/deep/x.bin\0000644\0",
            "src/outside\0000644\0");
      }
    }
  }
}
