package io.s2i.engine.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Which blobs and layers running builds use, so that pruning the shared cache never takes them.
 *
 * <p>Each open engine has a lease: {@code leases/ID.lock}, locked by it for as long as it is open,
 * and {@code leases/ID.json}, the digests it has used (images it resolved and their layers, blobs
 * it wrote). A lease is added to under a shared lock on {@code gc.lock}, before the content is
 * looked at or written; a prune holds that lock exclusively while it reads every lease and
 * deletes. So a digest is either leased before the prune starts, and kept, or looked at after the
 * prune ends, and found gone (then fetched or made again). A lease whose lock file is not locked
 * belongs to a process that died; a prune removes it.
 */
final class CacheLeases implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  /** One JVM holds the gc lock file once: threads take turns here first. */
  private static final ReentrantLock IN_PROCESS = new ReentrantLock();
  /**
   * The leases of this JVM. A prune must not open their lock files: closing any descriptor of a
   * file drops every POSIX lock the process holds on it, the lease's own included.
   */
  private static final Set<String> OWN = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Path dir;
  private final Path gcLock;
  private final Set<String> held = new LinkedHashSet<>();
  private String id;
  private FileChannel ownLock;
  private boolean closed;

  CacheLeases(Path cacheRoot) throws IOException {
    this.dir = Files.createDirectories(cacheRoot.resolve("leases"));
    this.gcLock = cacheRoot.resolve("gc.lock");
  }

  /** Something done under the gc lock. */
  @FunctionalInterface
  interface Action<T> {
    T run() throws IOException;
  }

  /** Runs {@code action} while no prune runs (builds share this lock with each other). */
  <T> T shared(Action<T> action) throws IOException {
    return locked(true, action);
  }

  /** Runs {@code action} while no build adds to its lease (a prune). */
  <T> T exclusive(Action<T> action) throws IOException {
    return locked(false, action);
  }

  private <T> T locked(boolean shared, Action<T> action) throws IOException {
    IN_PROCESS.lock();
    try (FileChannel ch = FileChannel.open(gcLock, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
        FileLock ignored = ch.lock(0, Long.MAX_VALUE, shared)) {
      return action.run();
    } finally {
      IN_PROCESS.unlock();
    }
  }

  /**
   * Adds digests to this engine's lease; call it under {@link #shared}, before using them. The
   * lease file is made on first use.
   */
  synchronized void hold(List<String> digests) throws IOException {
    if (closed || held.containsAll(digests)) {
      return;
    }
    if (ownLock == null) {
      byte[] b = new byte[8];
      RANDOM.nextBytes(b);
      id = ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(b);
      OWN.add(id);
      ownLock = FileChannel.open(dir.resolve(id + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      ownLock.lock();
    }
    held.addAll(digests);
    ObjectNode doc = JSON.createObjectNode();
    doc.put("pid", ProcessHandle.current().pid());
    held.forEach(doc.withArray("digests")::add);
    Path tmp = dir.resolve(id + ".json.tmp");
    Files.write(tmp, JSON.writeValueAsBytes(doc));
    Files.move(tmp, dir.resolve(id + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether this engine holds {@code digest}. */
  synchronized boolean holds(String digest) {
    return held.contains(digest);
  }

  /**
   * The digests every live lease holds (call under {@link #exclusive}); leases of processes that
   * died are removed on the way.
   */
  Set<String> live() throws IOException {
    Set<String> out = new LinkedHashSet<>();
    List<Path> locks;
    try (Stream<Path> s = Files.list(dir)) {
      locks = s.filter(p -> p.getFileName().toString().endsWith(".lock")).toList();
    }
    for (Path lock : locks) {
      String name = lock.getFileName().toString();
      String leaseId = name.substring(0, name.length() - ".lock".length());
      Path json = dir.resolve(leaseId + ".json");
      boolean alive = OWN.contains(leaseId);
      if (!alive) {
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
          FileLock l = ch.tryLock();
          alive = l == null;
          if (l != null) {
            l.release();
          }
        } catch (OverlappingFileLockException thisJvm) {
          alive = true;
        } catch (java.nio.file.NoSuchFileException gone) {
          continue;
        }
      }
      if (!alive) {
        Files.deleteIfExists(json);
        Files.deleteIfExists(lock);
        continue;
      }
      if (Files.isRegularFile(json)) {
        try {
          JsonNode doc = JSON.readTree(json.toFile());
          doc.path("digests").forEach(d -> out.add(d.asText()));
        } catch (IOException unreadable) {
          // being replaced right now cannot happen under the exclusive lock; an unreadable file is
          // a lease of nothing
        }
      }
    }
    return out;
  }

  /** Ends the lease: its content may be pruned from now on. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ownLock != null) {
      try {
        Files.deleteIfExists(dir.resolve(id + ".json"));
        Files.deleteIfExists(dir.resolve(id + ".lock"));
        ownLock.close();
        OWN.remove(id);
      } catch (IOException ignored) {
        // a lease left behind is released by the next prune, which finds its lock free
      }
    }
  }
}
