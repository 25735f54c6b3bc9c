package io.s2i.archive;

import java.io.BufferedReader;
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
  private final Path store;
  private final LongSupplier nowNanos;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  /** The files asked about in this run: only they are written back, so files gone are forgotten. */
  private final Set<String> used = ConcurrentHashMap.newKeySet();
  private volatile boolean changed;

  private record Entry(FileStamp stamp, byte[] sha256) {}

  private FileHashCache(Path store, LongSupplier nowNanos) {
    this.store = store;
    this.nowNanos = nowNanos;
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
    FileHashCache cache = new FileHashCache(store, nowNanos);
    try (BufferedReader in = Files.newBufferedReader(store, StandardCharsets.UTF_8)) {
      if (!VERSION.equals(in.readLine())) {
        return cache;
      }
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split("\t", 6);
        if (f.length == 6) {
          cache.entries.put(f[5], new Entry(new FileStamp(Long.parseLong(f[0]), Long.parseLong(f[1]),
              Long.parseLong(f[2]), Long.parseLong(f[3])), HexFormat.of().parseHex(f[4])));
        }
      }
    } catch (IOException | RuntimeException e) {
      cache.entries.clear(); // absent or damaged: start empty
    }
    return cache;
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
    } catch (IOException e) {
      // only a cache: the next digest reads the files again
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
