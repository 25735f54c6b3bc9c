package io.s2i.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.internal.fs.OwnedDirs;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache's {@code tmp/} holds half-made imports, commits and pulls: what a killed process left
 * there is collected by the next one, what a running process uses stays.
 */
class LayerCacheLeftoversTest {
  @TempDir Path root;

  @Test
  void aDeadProcesssPartAndOldStrayEntriesGoWhatIsInUseStays() throws Exception {
    LayerCache cache = new LayerCache(root);
    try {
      Path mine = cache.tempDir("import-");
      Files.writeString(mine.resolve("layer.tar"), "in progress");
      // The part of a process killed mid-import: marked, but nobody holds its lock any more.
      Path dead = Files.createDirectories(root.resolve("tmp/proc-4711"));
      try (FileChannel ignored = FileChannel.open(dead.resolve(OwnedDirs.LOCK), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE)) {
        // made, never locked: as after its maker died
      }
      Files.createDirectories(dead.resolve("import-123")).resolve("blob").toFile().createNewFile();
      // Made by an earlier s2i straight in tmp/: an hour old is no running build's.
      Path stale = Files.createDirectories(root.resolve("tmp/import-old"));
      Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
      Path fresh = Files.createDirectories(root.resolve("tmp/import-new"));

      assertThat(cache.removeLeftovers()).containsExactlyInAnyOrder(dead, stale);
      assertThat(dead).doesNotExist();
      assertThat(stale).doesNotExist();
      assertThat(fresh).exists();
      assertThat(mine.resolve("layer.tar")).hasContent("in progress");
    } finally {
      cache.close();
    }
    assertThat(root.resolve("tmp")).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("proc-"));
  }
}
