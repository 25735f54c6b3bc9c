package io.s2i.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void deletesATreeButNotWhatItsLinksPointAt() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "kept");
    Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
    Files.writeString(tree.resolve("f.txt"), "x");
    Files.createSymbolicLink(tmp.resolve("tree/a/to-outside"), outside);
    Files.createSymbolicLink(tmp.resolve("tree/a/to-file"), outside.resolve("keep.txt"));

    FileTrees.delete(tmp.resolve("tree"));

    assertThat(tmp.resolve("tree")).doesNotExist();
    assertThat(outside.resolve("keep.txt")).hasContent("kept");
  }

  @Test
  void aMissingPathIsFineAndALinkAsRootIsRemovedItself() throws Exception {
    FileTrees.delete(tmp.resolve("missing"));
    Path target = Files.createDirectories(tmp.resolve("target"));
    Files.writeString(target.resolve("keep.txt"), "kept");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);

    assertThat(FileTrees.deleteQuietly(link)).isTrue();

    assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(target.resolve("keep.txt")).hasContent("kept");
  }
}
