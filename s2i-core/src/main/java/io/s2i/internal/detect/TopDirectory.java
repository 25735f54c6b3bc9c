package io.s2i.internal.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The top directory of a source, as detection reads it: the names it holds (oc new-app globs the
 * top directory only) and the text of small regular files. The source may be hostile: a file is
 * read only when it is a regular file (a link is seen as present but never followed, so a link to
 * a device or to a file outside the source gives nothing) and only its first bytes are read.
 */
final class TopDirectory {
  /** Version files are small; anything bigger is read only this far. */
  static final int MAX_READ = 256 * 1024;

  private final Path dir;
  private final TreeSet<String> names = new TreeSet<>();

  private TopDirectory(Path dir) {
    this.dir = dir;
  }

  /** Lists {@code dir}'s entries. */
  static TopDirectory of(Path dir) throws IOException {
    TopDirectory top = new TopDirectory(dir);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        top.names.add(p.getFileName().toString());
      }
    }
    return top;
  }

  /** Whether an entry of this name exists (of any type, as a glob finds it). */
  boolean has(String name) {
    return names.contains(name);
  }

  /**
   * The first entry a marker names: a plain name, or {@code *.ext} (the only glob form the
   * detectors use), in name order.
   */
  Optional<String> find(String marker) {
    if (marker.startsWith("*.")) {
      String suffix = marker.substring(1);
      return names.stream().filter(n -> n.endsWith(suffix) && n.length() > suffix.length()).findFirst();
    }
    return has(marker) ? Optional.of(marker) : Optional.empty();
  }

  /** Every entry a {@code *.ext} marker names. */
  List<String> all(String marker) {
    List<String> out = new ArrayList<>();
    if (marker.startsWith("*.")) {
      String suffix = marker.substring(1);
      names.stream().filter(n -> n.endsWith(suffix) && n.length() > suffix.length()).forEach(out::add);
    } else if (has(marker)) {
      out.add(marker);
    }
    return out;
  }

  /** The text of a regular file at the top (or below it, by a relative path); empty otherwise. */
  Optional<String> read(String relative) {
    Path file = dir.resolve(relative).normalize();
    if (!file.startsWith(dir)) {
      return Optional.empty();
    }
    for (Path p = file; p != null && !p.equals(dir); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        return Optional.empty();
      }
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(new String(in.readNBytes(MAX_READ), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  Path path() {
    return dir;
  }
}
