package io.s2i.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHashCacheTest {
  @TempDir Path tmp;

  @Test
  void knownDigestsSurviveARunAndAChangedStampForgetsThem() throws Exception {
    Path file = tmp.resolve("f.txt");
    Files.writeString(file, "one");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Path store = tmp.resolve("cache/hashes");
    // A clock a minute ahead: the file just written is no longer "racy".
    java.util.function.LongSupplier later = () -> System.currentTimeMillis() * 1_000_000L + 60_000_000_000L;
    FileHashCache first = FileHashCache.load(store, later);
    byte[] digest = new byte[32];
    digest[0] = 7;
    first.learned(file, FileStamp.of(file), digest);
    first.save();

    FileHashCache second = FileHashCache.load(store, later);
    assertThat(second.known(file, FileStamp.of(file))).hasValueSatisfying(d -> assertThat(d).isEqualTo(digest));

    Files.writeString(file, "two"); // same size; the change time moves
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    assertThat(second.known(file, FileStamp.of(file))).isEmpty();
  }

  @Test
  void aFileChangedJustNowIsNotRemembered() throws Exception {
    Path file = tmp.resolve("fresh.txt");
    Files.writeString(file, "fresh");
    FileHashCache cache = FileHashCache.load(tmp.resolve("store"));
    cache.learned(file, FileStamp.of(file), new byte[32]);
    assertThat(cache.known(file, FileStamp.of(file))).isEmpty();
  }

  @Test
  void aDamagedStoreIsIgnored() throws Exception {
    Path store = tmp.resolve("store");
    Files.writeString(store, "s2i-java content hashes v1\nnot\ta\tvalid\tline\tat\tall\n");
    assertThat(FileHashCache.load(store).known(tmp.resolve("x"), new FileStamp(1, 2, 3, 4))).isEmpty();
  }

  @Test
  void writingACacheForgetsTheCachesOfDirectoriesNotBuiltForAMonth() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("content-hashes"));
    Path stale = Files.writeString(dir.resolve("0123456789abcdef0123456789abcdef"), "s2i-java content hashes v1\n");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(java.time.Duration.ofDays(31))));
    Path recent = Files.writeString(dir.resolve("fedcba9876543210fedcba9876543210"), "s2i-java content hashes v1\n");
    Files.setLastModifiedTime(recent, FileTime.from(Instant.now().minus(java.time.Duration.ofDays(29))));
    Path foreign = Files.writeString(dir.resolve("notes.txt"), "not ours");
    Files.setLastModifiedTime(foreign, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Path file = Files.writeString(tmp.resolve("f.txt"), "one");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

    // A clock a minute ahead: the file just written is no longer "racy".
    FileHashCache cache = FileHashCache.load(dir.resolve("00000000000000000000000000000000"),
        () -> System.currentTimeMillis() * 1_000_000L + 60_000_000_000L);
    cache.learned(file, FileStamp.of(file), new byte[32]);
    cache.save();

    assertThat(dir.resolve("00000000000000000000000000000000")).exists();
    assertThat(stale).doesNotExist();
    assertThat(recent).exists();
    assertThat(foreign).exists();
  }
}
