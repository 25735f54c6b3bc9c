package io.s2i.internal.archive;

import io.s2i.engine.ArchiveSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Injected files as a tar to unpack at the container's root. Files are 0666 and directories 0777
 * (as upstream) so that a non-root assemble user can read them and then truncate them. No entry is
 * written for a destination directory itself, so an existing directory such as {@code /tmp} keeps
 * its mode.
 */
public final class InjectionArchive implements ArchiveSource {
  /**
   * One host path and its absolute destination in the container.
   *
   * @param fileMode mode of the files written; 0666 for injections, 0755 for scripts
   */
  public record Item(Path hostPath, String containerPath, int fileMode) {
    /** An injection: files 0666. */
    public Item(Path hostPath, String containerPath) {
      this(hostPath, containerPath, 0666);
    }
  }

  private final List<Item> items;

  public InjectionArchive(List<Item> items) {
    this.items = List.copyOf(items);
  }

  /** The absolute container paths of every injected regular file, for truncation. */
  public List<String> injectedFiles() throws IOException {
    List<String> files = new ArrayList<>();
    for (Item item : items) {
      forEach(item, (host, container) -> {
        if (Files.isRegularFile(host)) {
          files.add(container);
        }
      });
    }
    return files;
  }

  /**
   * An archive that replaces every injected file with an empty one: copied in after assemble,
   * it keeps the injected contents out of the committed image without running anything in it.
   */
  public ArchiveSource truncation() throws IOException {
    List<String> files = injectedFiles();
    return out -> {
      TarArchiveOutputStream tar = TarEntries.open(out);
      var now = java.nio.file.attribute.FileTime.from(java.time.Instant.now());
      for (String f : files) {
        TarEntries.bytes(tar, f.substring(1), new byte[0], 0666, now);
      }
      tar.finish();
      tar.flush();
    };
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    TarArchiveOutputStream tar = TarEntries.open(out);
    for (Item item : items) {
      forEach(item, (host, container) -> {
        String name = container.substring(1);
        var mtime = Files.getLastModifiedTime(host);
        if (Files.isDirectory(host)) {
          if (!container.equals(item.containerPath())) {
            TarEntries.directory(tar, name, 0777, mtime);
          }
        } else if (Files.isRegularFile(host)) {
          TarEntries.file(tar, name, host, item.fileMode(), mtime);
        }
      });
    }
    tar.finish();
    tar.flush();
  }

  private interface Visitor {
    void visit(Path host, String containerPath) throws IOException;
  }

  private static void forEach(Item item, Visitor visitor) throws IOException {
    Path root = item.hostPath();
    if (!Files.isDirectory(root)) {
      visitor.visit(root, item.containerPath());
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted().toList();
    }
    for (Path p : paths) {
      String rel = root.relativize(p).toString().replace('\\', '/');
      String container = rel.isEmpty() ? item.containerPath()
          : (item.containerPath().equals("/") ? "/" + rel : item.containerPath() + "/" + rel);
      visitor.visit(p, container);
    }
  }
}
