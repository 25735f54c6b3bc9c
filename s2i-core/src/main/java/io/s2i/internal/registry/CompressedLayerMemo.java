package io.s2i.internal.registry;

import io.s2i.internal.image.layout.Digests;
import io.s2i.internal.image.layout.LayerCompression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Remembers, by diff id, the digest and size that {@link LayerCompression} gives a layer, so a push
 * can ask the registry whether it has a layer without compressing it first. Compression is
 * deterministic, so an entry never goes stale. One small file per layer, written beside and
 * renamed into place, so concurrent builds sharing the directory never read half an entry.
 */
public final class CompressedLayerMemo {
  private final Optional<Path> dir;

  private CompressedLayerMemo(Optional<Path> dir) {
    this.dir = dir;
  }

  /** A memo kept in {@code dir} (created when needed). */
  public static CompressedLayerMemo in(Path dir) {
    return new CompressedLayerMemo(Optional.of(dir));
  }

  /** A memo that remembers nothing: every layer is compressed on every push. */
  public static CompressedLayerMemo none() {
    return new CompressedLayerMemo(Optional.empty());
  }

  Optional<LayerCompression.Compressed> get(String diffId) {
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    try {
      String[] line = Files.readString(dir.get().resolve(Digests.hex(diffId)), StandardCharsets.UTF_8).strip()
          .split(" ");
      return line.length == 2 && line[0].matches("sha256:[0-9a-f]{64}")
          ? Optional.of(new LayerCompression.Compressed(line[0], Long.parseLong(line[1])))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty(); // not remembered, or unreadable: compress again
    }
  }

  void put(String diffId, LayerCompression.Compressed compressed) {
    if (dir.isEmpty()) {
      return;
    }
    try {
      Path d = Files.createDirectories(dir.get());
      Path tmp = Files.createTempFile(d, ".memo-", ".tmp");
      try {
        Files.writeString(tmp, compressed.digest() + " " + compressed.size() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, d.resolve(Digests.hex(diffId)), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      // Only a shortcut: the next push compresses the layer again.
    }
  }
}
