package io.s2i.internal.archive;

import io.s2i.engine.ArchiveSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A {@code docker build} context: a source tree at the root, extra executable files beside it
 * (scripts), and a generated {@code Dockerfile}. Streamed from disk; nothing is copied first.
 */
public final class BuildContextArchive implements ArchiveSource {
  private final DirectoryTree tree;
  private final Map<String, Path> executables;
  private final String dockerfile;

  /**
   * @param tree the source tree; its prefix must be empty
   * @param executables files added at the root with mode 0755, by name
   * @param dockerfile the Dockerfile's text
   */
  public BuildContextArchive(DirectoryTree tree, Map<String, Path> executables, String dockerfile) {
    this.tree = tree;
    this.executables = new TreeMap<>(executables);
    this.dockerfile = dockerfile;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    TarArchiveOutputStream tar = TarEntries.open(out);
    tree.write(tar, w -> {});
    for (var e : executables.entrySet()) {
      TarEntries.file(tar, e.getKey(), e.getValue(), 0755, Files.getLastModifiedTime(e.getValue()));
    }
    TarEntries.bytes(tar, "Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8), 0644,
        FileTime.from(Instant.now()));
    tar.finish();
    tar.flush();
  }
}
