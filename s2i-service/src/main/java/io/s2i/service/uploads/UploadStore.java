package io.s2i.service.uploads;

import io.s2i.service.model.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Binary inputs as they arrive: streamed to a file under the data directory (never held in
 * memory), refused past the size limit, and removed when their build ends or is pruned.
 */
public final class UploadStore {
  private final Path dir;
  private final long maxBytes;

  /** Uploads in {@code dir}, each at most {@code maxBytes}. */
  public UploadStore(Path dir, long maxBytes) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.maxBytes = maxBytes;
  }

  /** The size limit. */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Streams {@code in} into a new file.
   *
   * @throws InvalidInputException (413) when the body is larger than the limit; nothing is kept
   */
  public Path receive(InputStream in) throws IOException {
    Path file = dir.resolve("upload-" + UUID.randomUUID());
    boolean ok = false;
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new InvalidInputException(413, "the upload is larger than the limit of " + maxBytes
              + " bytes (s2i serve --max-upload)");
        }
        out.write(buf, 0, n);
      }
      ok = true;
    } finally {
      if (!ok) {
        Files.deleteIfExists(file);
      }
    }
    return file;
  }

  /** Removes an upload; a missing one is fine. */
  public void remove(String path) {
    if (path == null) {
      return;
    }
    try {
      Path p = Path.of(path);
      if (p.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      // left for the sweep at the next start
    }
  }

  /** Removes uploads no build refers to any more (after a crash). */
  public void sweep(java.util.Set<String> inUse) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        if (!inUse.contains(p.toString())) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
