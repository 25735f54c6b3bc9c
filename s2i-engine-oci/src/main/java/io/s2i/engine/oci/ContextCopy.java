package io.s2i.engine.oci;

import io.s2i.engine.EngineException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * One COPY or ADD of a Dockerfile build, applied to a container's root as Docker's builder does:
 * sources are paths (or wildcards) in the build context, never outside it (symbolic links are
 * followed inside it); a directory's content is copied, not the directory; a destination ending in
 * {@code /} or naming an existing directory receives the sources by name; relative destinations
 * are under the working directory; missing parent directories are made. Files are owned by root
 * or by {@code --chown} (a user without a group gets the user's id as group, as Docker does).
 * ADD also unpacks local tar archives (plain, gzip, bzip2, xz, zstd), keeping their owners, and
 * fetches {@code http(s)://} URLs (mode 0600, time from {@code Last-Modified}).
 */
final class ContextCopy {
  private static final Pattern URL = Pattern.compile("(?i)https?://.+");
  private final String keyword;
  private final Path context;
  private final List<String> sources;
  private final String destination;
  private final Optional<String> chown;
  private final Optional<Integer> chmod;

  /**
   * @param keyword {@code COPY} or {@code ADD}
   * @param context the unpacked build context
   * @param sources the expanded source words
   * @param destination the expanded destination, absolute (relative ones already joined to the
   *     working directory), with its trailing {@code /} kept
   * @param chown the {@code --chown} value, expanded
   * @param chmod the {@code --chmod} mode
   */
  ContextCopy(String keyword, Path context, List<String> sources, String destination, Optional<String> chown,
      Optional<Integer> chmod) {
    this.keyword = keyword;
    this.context = context;
    this.sources = List.copyOf(sources);
    this.destination = destination;
    this.chown = chown;
    this.chmod = chmod;
  }

  /** A COPY or ADD that cannot be done; the message says why. */
  static final class CopyException extends IOException {
    private static final long serialVersionUID = 1L;

    CopyException(String message) {
      super(message);
    }
  }

  private record Source(Path file, String name, boolean fetched) {}

  /**
   * Copies into {@code container}'s root, fetching URLs into {@code scratch}.
   *
   * @throws CopyException when a source is missing, outside the context or not allowed
   */
  void apply(OciContainerHandle container, Path scratch) throws IOException, EngineException {
    Path rootfs = container.rootfs();
    int[] owner = owner(rootfs);
    List<Source> found = new ArrayList<>();
    for (String s : sources) {
      if (URL.matcher(s).matches()) {
        if (!keyword.equals("ADD")) {
          throw new CopyException(keyword + " cannot copy from a URL (" + s + "); use ADD");
        }
        found.add(fetch(s, scratch));
      } else {
        found.addAll(match(s));
      }
    }
    boolean toDirectory = destination.endsWith("/") || found.size() > 1;
    if (found.size() > 1 && !destination.endsWith("/")) {
      throw new CopyException("when using " + keyword + " with more than one source file, the destination must"
          + " be a directory and end with a /");
    }
    Path destResolved = RootfsPaths.resolve(rootfs, destination);
    if (!toDirectory && Files.isDirectory(destResolved)) {
      toDirectory = true;
    }
    for (Source src : found) {
      boolean directory = Files.isDirectory(src.file());
      boolean archive = keyword.equals("ADD") && !src.fetched() && !directory && isTar(src.file());
      String dirPath = directory || archive || toDirectory ? destination : parent(destination);
      String fileName = directory || archive ? null
          : toDirectory ? src.name() : destination.substring(destination.lastIndexOf('/') + 1);
      Path target = RootfsPaths.resolve(rootfs, dirPath);
      Path existing = target;
      List<Path> missing = new ArrayList<>();
      while (!RootfsPaths.exists(existing)) {
        missing.add(0, existing);
        existing = existing.getParent();
      }
      if (!Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS)) {
        throw new CopyException(keyword + " cannot copy into " + dirPath + ": "
            + "/" + rootfs.relativize(existing) + " is not a directory");
      }
      String into = "/" + rootfs.relativize(existing);
      List<String> prefix = new ArrayList<>();
      for (Path m : missing) {
        prefix.add(existing.relativize(m).toString());
      }
      String base = prefix.isEmpty() ? "" : prefix.get(prefix.size() - 1) + "/";
      if (archive) {
        container.copyIn(into, out -> {
          try (TarArchiveOutputStream tar = tarStream(out)) {
            directories(tar, prefix, owner);
            tar.finish();
          }
        });
        container.copyIn(into + (base.isEmpty() ? "" : "/" + base), out -> unpackedArchive(src.file(), out));
        continue;
      }
      container.copyIn(into, out -> {
        TarArchiveOutputStream tar = tarStream(out);
        directories(tar, prefix, owner);
        if (directory) {
          tree(tar, src.file(), base, owner);
        } else {
          file(tar, src.file(), base + fileName, owner, src.fetched());
        }
        tar.finish();
      });
    }
  }

  private static TarArchiveOutputStream tarStream(OutputStream out) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(new io.s2i.internal.archive.NonClosingOutputStream(out));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** The owner of copied files: root, or {@code --chown} looked up in the container's files. */
  private int[] owner(Path rootfs) throws IOException {
    if (chown.isEmpty()) {
      return new int[] {0, 0};
    }
    String value = chown.get();
    int colon = value.indexOf(':');
    String user = colon < 0 ? value : value.substring(0, colon);
    int uid = id(rootfs, "/etc/passwd", user, "user");
    int gid = colon < 0 ? uid : id(rootfs, "/etc/group", value.substring(colon + 1), "group");
    return new int[] {uid, gid};
  }

  private int id(Path rootfs, String file, String name, String what) throws IOException {
    if (name.matches("\\d+")) {
      return Integer.parseInt(name);
    }
    Path p = RootfsPaths.resolve(rootfs, file);
    if (Files.isRegularFile(p)) {
      for (String line : Files.readAllLines(p)) {
        String[] f = line.split(":", -1);
        if (f.length >= 3 && f[0].equals(name) && f[2].matches("\\d+")) {
          return Integer.parseInt(f[2]);
        }
      }
    }
    throw new CopyException(keyword + " --chown=" + chown.get() + ": unable to find " + what + " " + name
        + " in the image's " + file);
  }

  /** The context paths a source word names: one path, or every match of a wildcard. */
  private List<Source> match(String source) throws IOException {
    String rel = source;
    while (rel.startsWith("/")) {
      rel = rel.substring(1);
    }
    Path normal = Path.of(rel.isEmpty() ? "." : rel).normalize();
    if (normal.startsWith("..")) {
      throw new CopyException(keyword + " failed: forbidden path outside the build context: " + source);
    }
    if (!rel.matches(".*[*?\\[].*")) {
      Path resolved = RootfsPaths.resolve(context, normal.toString());
      if (!RootfsPaths.exists(resolved)) {
        throw new CopyException(keyword + " failed: file not found in build context: " + source);
      }
      String name = normal.getFileName() == null || normal.toString().equals(".") ? ""
          : normal.getFileName().toString();
      return List.of(new Source(resolved, name, false));
    }
    Pattern pattern = glob(normal.toString());
    List<Source> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(context)) {
      for (Path p : walk.sorted().toList()) {
        String name = context.relativize(p).toString();
        if (!name.isEmpty() && pattern.matcher(name).matches()) {
          Path resolved = RootfsPaths.resolve(context, name);
          if (RootfsPaths.exists(resolved)) {
            out.add(new Source(resolved, p.getFileName().toString(), false));
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new CopyException(keyword + " failed: no source files were specified: no file in the build context"
          + " matches " + source);
    }
    return out;
  }

  /** Go's filepath.Match syntax as a regular expression: {@code *} and {@code ?} stop at {@code /}. */
  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            re.append("\\[");
          } else {
            String cls = glob.substring(i + 1, end);
            if (cls.startsWith("^") || cls.startsWith("!")) {
              cls = "^" + cls.substring(1);
            }
            re.append('[').append(cls.replace("\\", "\\\\")).append(']');
            i = end;
          }
        }
        case '\\' -> {
          if (i + 1 < glob.length()) {
            re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  private Source fetch(String url, Path scratch) throws IOException {
    URI uri = URI.create(url);
    String path = uri.getPath() == null ? "" : uri.getPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (destination.endsWith("/") && name.isEmpty()) {
      throw new CopyException("ADD cannot tell a file name from " + url + "; give the destination file name");
    }
    Path file = Files.createTempFile(scratch, "add-", ".download");
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30)).build();
    HttpResponse<Path> response;
    try {
      response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build(),
          HttpResponse.BodyHandlers.ofFile(file));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while fetching " + url);
    } catch (IOException e) {
      throw new CopyException("ADD cannot fetch " + url + ": " + e.getMessage());
    }
    if (response.statusCode() / 100 != 2) {
      throw new CopyException("ADD cannot fetch " + url + ": the server answered " + response.statusCode());
    }
    Optional<String> modified = response.headers().firstValue("Last-Modified");
    if (modified.isPresent()) {
      try {
        Files.setLastModifiedTime(file, FileTime.from(
            ZonedDateTime.parse(modified.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
      } catch (java.time.DateTimeException ignored) {
        // no usable time: the file keeps the time it was fetched
      }
    }
    return new Source(file, name, true);
  }

  /** Whether the file is a tar archive, compressed or not (ADD unpacks those). */
  private static boolean isTar(Path file) throws IOException {
    try (InputStream in = decompressed(file)) {
      byte[] header = in.readNBytes(512);
      return header.length == 512 && TarArchiveInputStream.matches(header, header.length)
          && new String(header, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).startsWith("ustar");
    } catch (IOException e) {
      return false;
    }
  }

  private static InputStream decompressed(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file));
    try {
      String kind = CompressorStreamFactory.detect(in);
      return new CompressorStreamFactory().createCompressorInputStream(kind, in);
    } catch (CompressorException notCompressed) {
      return in;
    }
  }

  private static void unpackedArchive(Path file, OutputStream out) throws IOException {
    try (InputStream in = decompressed(file)) {
      in.transferTo(out);
    }
  }

  private static void directories(TarArchiveOutputStream tar, List<String> names, int[] owner) throws IOException {
    for (String name : names) {
      TarArchiveEntry e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
      e.setMode(040755);
      e.setModTime(System.currentTimeMillis());
      own(e, owner);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    }
  }

  /** The content of directory {@code dir} under {@code base} (which ends in / or is empty). */
  private void tree(TarArchiveOutputStream tar, Path dir, String base, int[] owner) throws IOException {
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.sorted().toList();
    }
    for (Path child : children) {
      String name = base + child.getFileName();
      if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        TarArchiveEntry e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
        attributes(e, child, owner);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        tree(tar, child, name + "/", owner);
      } else {
        file(tar, child, name, owner, false);
      }
    }
  }

  private void file(TarArchiveOutputStream tar, Path file, String name, int[] owner, boolean fetched)
      throws IOException {
    if (Files.isSymbolicLink(file)) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(file).toString());
      own(e, owner);
      e.setModTime(Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis());
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return;
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return; // sockets, FIFOs and devices in a context carry nothing to copy
    }
    TarArchiveEntry e = new TarArchiveEntry(name);
    attributes(e, file, owner);
    if (fetched) {
      e.setMode(0100600);
    }
    e.setSize(Files.size(file));
    tar.putArchiveEntry(e);
    try (InputStream in = Files.newInputStream(file)) {
      in.transferTo(tar);
    }
    tar.closeArchiveEntry();
  }

  private void attributes(TarArchiveEntry e, Path p, int[] owner) throws IOException {
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    int type = e.isDirectory() ? 040000 : 0100000;
    e.setMode(type | (chmod.isPresent() ? chmod.get() : mode & 07777));
    e.setModTime(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis());
    own(e, owner);
  }

  private static void own(TarArchiveEntry e, int[] owner) {
    e.setUserId(owner[0]);
    e.setGroupId(owner[1]);
    e.setUserName("");
    e.setGroupName("");
  }
}
