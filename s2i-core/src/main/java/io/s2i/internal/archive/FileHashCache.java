package io.s2i.internal.archive;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@link ContentHashes} kept in a file between runs: one line per file (path, stamp, digest).
 * A file whose stamp is racy (changed in the last seconds) is not remembered. The file is only a
 * cache: an unreadable or damaged one is ignored, and a write that fails is given up silently.
 */
public final class FileHashCache implements ContentHashes {
  private static final String VERSION = "s2i-java content hashes v1";
  private static final java.time.Duration UNUSED_FOR = java.time.Duration.ofDays(30);
  private final Path store;
  private final LongSupplier nowNanos;
  private final Map<String, Entry> entries;
  /** The files asked about in this run: only they are written back, so files gone are forgotten. */
  private final Set<String> used;
  private volatile boolean changed;

  private record Entry(FileStamp stamp, byte[] sha256) {}

  private FileHashCache(Path store, LongSupplier nowNanos, int expected) {
    this.store = store;
    this.nowNanos = nowNanos;
    // Sized up front: growing a map of thousands of entries rehashes it several times.
    this.entries = new ConcurrentHashMap<>(expected * 4 / 3 + 16);
    this.used = ConcurrentHashMap.newKeySet(expected * 4 / 3 + 16);
  }

  private static final Map<Path, java.util.concurrent.CompletableFuture<FileHashCache>> PRELOADED =
      new ConcurrentHashMap<>();

  /**
   * Starts reading the cache for {@code root} in the background (while the builder image is
   * inspected), for a later {@link #forSourceRoot}.
   */
  public static void preload(Path root) {
    Path key = root.toAbsolutePath().normalize();
    PRELOADED.computeIfAbsent(key, k -> java.util.concurrent.CompletableFuture.supplyAsync(() -> read(k)));
  }

  /**
   * The cache for sources under {@code root}, in {@code $XDG_CACHE_HOME/s2i-java/content-hashes}
   * (default {@code ~/.cache}); one file per source directory.
   */
  public static FileHashCache forSourceRoot(Path root) {
    var preloaded = PRELOADED.remove(root.toAbsolutePath().normalize());
    return preloaded != null ? preloaded.join() : read(root);
  }

  private static FileHashCache read(Path root) {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    String name = HexFormat.of().formatHex(sha256(root.toAbsolutePath().normalize().toString())).substring(0, 32);
    return load(base.resolve("s2i-java").resolve("content-hashes").resolve(name));
  }

  /** The cache kept in {@code store}, read now if it exists. */
  public static FileHashCache load(Path store) {
    return load(store, () -> {
      Instant t = Instant.now();
      return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
    });
  }

  /** As {@link #load(Path)}, with the clock that tells which files changed too recently. */
  static FileHashCache load(Path store, LongSupplier nowNanos) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(store);
    } catch (IOException e) {
      return new FileHashCache(store, nowNanos, 0); // absent or unreadable: start empty
    }
    // About 130 bytes a line (four numbers, a digest and a path).
    FileHashCache cache = new FileHashCache(store, nowNanos, bytes.length / 130);
    try {
      String text = new String(bytes, StandardCharsets.UTF_8);
      int eol = text.indexOf('\n');
      if (eol < 0 || !VERSION.equals(text.substring(0, eol))) {
        return cache;
      }
      for (int start = eol + 1; start < text.length(); start = eol + 1) {
        eol = text.indexOf('\n', start);
        if (eol < 0) {
          break; // a line cut short: the file was written by a process that died
        }
        cache.parse(text, start, eol);
      }
    } catch (RuntimeException e) {
      cache.entries.clear(); // damaged: start empty
    }
    return cache;
  }

  /** One line: size, mtime, ctime, inode, digest (hex) and path, tab-separated. */
  private void parse(String text, int start, int end) {
    int[] tabs = new int[5];
    int at = start;
    for (int i = 0; i < 5; i++) {
      at = text.indexOf('\t', at);
      if (at < 0 || at >= end) {
        return;
      }
      tabs[i] = at++;
    }
    FileStamp stamp = new FileStamp(Long.parseLong(text, start, tabs[0], 10),
        Long.parseLong(text, tabs[0] + 1, tabs[1], 10), Long.parseLong(text, tabs[1] + 1, tabs[2], 10),
        Long.parseLong(text, tabs[2] + 1, tabs[3], 10));
    entries.put(text.substring(tabs[4] + 1, end),
        new Entry(stamp, HexFormat.of().parseHex(text, tabs[3] + 1, tabs[4])));
  }

  @Override
  public Optional<byte[]> known(Path file, FileStamp stamp) {
    used.add(file.toString());
    Entry e = entries.get(file.toString());
    return e != null && e.stamp().equals(stamp) ? Optional.of(e.sha256()) : Optional.empty();
  }

  @Override
  public void learned(Path file, FileStamp stamp, byte[] sha256) {
    if (stamp.racy(nowNanos.getAsLong()) || file.toString().contains("\n") || file.toString().contains("\t")) {
      entries.remove(file.toString());
      return;
    }
    used.add(file.toString());
    Entry previous = entries.put(file.toString(), new Entry(stamp, sha256.clone()));
    changed |= previous == null || !previous.stamp().equals(stamp);
  }

  /** Writes the cache back if it learned something (beside, then renamed into place). */
  public void save() {
    if (!changed && used.containsAll(entries.keySet())) {
      return;
    }
    try {
      Files.createDirectories(store.getParent());
      Path tmp = Files.createTempFile(store.getParent(), store.getFileName().toString(), ".tmp");
      try {
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          out.write(VERSION);
          out.write('\n');
          for (var e : entries.entrySet()) {
            if (!used.contains(e.getKey())) {
              continue;
            }
            FileStamp s = e.getValue().stamp();
            out.write(s.size() + "\t" + s.mtimeNanos() + "\t" + s.ctimeNanos() + "\t" + s.inode() + "\t"
                + HexFormat.of().formatHex(e.getValue().sha256()) + "\t" + e.getKey() + "\n");
          }
        }
        Files.move(tmp, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      changed = false;
      forgetUnused(store.getParent());
    } catch (IOException e) {
      // only a cache: the next digest reads the files again
    }
  }

  /**
   * Deletes the caches of source directories not built for {@link #UNUSED_FOR}: one file per
   * directory ever built would otherwise pile up. Runs only when a cache was written.
   */
  private void forgetUnused(Path dir) {
    long cutoff = nowNanos.getAsLong() - UNUSED_FOR.toNanos();
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.matches("[0-9a-f]{32}")
            && Files.getLastModifiedTime(f).to(TimeUnit.NANOSECONDS) < cutoff) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      // only a cache: the next write tries again
    }
  }

  private static byte[] sha256(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
