package io.s2i.internal.source.binary;

import io.s2i.api.BinaryInput;
import io.s2i.api.EventSink;
import io.s2i.api.SourceInfo;
import io.s2i.api.SourceSpec;
import io.s2i.internal.source.PreparedSource;
import io.s2i.internal.source.SourceFetchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Makes the source directory of a source that is one file, as OpenShift's binary builds do: the
 * file arrives alone in the directory (under its own name, or {@code asFile}), or, when it is an
 * archive, its content does (see {@link BinaryInput.Archive}). The directory is {@code target},
 * inside the build's workspace; on failure it is removed.
 */
public final class BinarySourceFetcher {
  private final EventSink events;

  public BinarySourceFetcher(EventSink events) {
    this.events = events;
  }

  /** What a file source turns into, decided before anything is written. */
  public record Plan(Path file, FileKind kind, boolean unpack, String name) {}

  /** Checks the file and the options and decides: kept whole (under which name) or unpacked. */
  public static Plan plan(Path file, String typed, BinaryInput binary) throws SourceFetchException {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new SourceFetchException("source " + typed + " is not a readable file or directory",
          "pass a directory, a git URL, an archive or a single file to build");
    }
    FileKind kind;
    try {
      kind = FileKind.of(file);
    } catch (IOException e) {
      throw new SourceFetchException("cannot read source file " + typed + ": " + e.getMessage(),
          "check the file's permissions", e);
    }
    String name = binary.asFile().orElse(file.getFileName().toString());
    checkName(name);
    boolean unpack = switch (binary.archive()) {
      case NEVER -> false;
      case AUTO -> kind.unpackedByDefault();
      case ALWAYS -> {
        if (!kind.unpackable()) {
          throw new SourceFetchException("--from-archive " + typed + " is not an archive (it looks like "
              + (kind == FileKind.OTHER ? "a plain file" : "a " + kind.label()) + ")",
              "give a tar, tar.gz, tar.bz2, tar.zst, zip or jar file, or drop --from-archive to build the file as it is");
        }
        yield true;
      }
    };
    return new Plan(file, kind, unpack, name);
  }

  private static void checkName(String name) throws SourceFetchException {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
        || name.indexOf('\0') >= 0) {
      throw new SourceFetchException("--as-file \"" + name + "\" is not a file name",
          "give a plain file name such as app.jar (no directory part)");
    }
  }

  /** Fills {@code target} (absent or empty) from the file source {@code spec} names. */
  public PreparedSource fetch(SourceSpec spec, Path file, String typed, Path target) throws SourceFetchException {
    Plan plan = plan(file, typed, spec.binary());
    boolean done = false;
    try {
      Files.createDirectories(target);
      Path root;
      if (plan.unpack()) {
        events.detail("Unpacking " + plan.kind().label() + " archive " + typed + " as the source");
        new ArchiveUnpacker(spec.binary().limits(), typed).unpack(file, plan.kind(), target);
        root = contextRoot(target, spec, typed);
      } else {
        if (spec.contextDir().isPresent()) {
          throw new SourceFetchException("--context-dir " + spec.contextDir().get() + " needs a directory or an archive, and "
              + typed + " is a single file", "drop --context-dir, or pass --from-archive if the file is an archive");
        }
        events.detail("Using " + typed + " as the single source file " + plan.name());
        copy(file, target.resolve(plan.name()));
        root = target;
      }
      done = true;
      return new PreparedSource(root, new SourceInfo(typed, spec.contextDir(), Optional.empty()));
    } catch (IOException e) {
      throw new SourceFetchException("cannot prepare the source from " + typed + ": " + e.getMessage(),
          "check that the temporary directory is writable and has room", e);
    } finally {
      if (!done) {
        io.s2i.internal.fs.FileTrees.deleteQuietly(target);
      }
    }
  }

  /** A hard link when the file system allows it (no copy of a large jar), else a copy. */
  private static void copy(Path file, Path to) throws IOException {
    try {
      Files.createLink(to, file);
      return;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // another file system, or links refused: copy instead
    }
    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
  }

  /** The context dir of an unpacked archive; it must be a directory inside it. */
  public static Path contextRoot(Path target, SourceSpec spec, String typed) throws SourceFetchException {
    if (spec.contextDir().isEmpty()) {
      return target;
    }
    Path root = target.resolve(spec.contextDir().get()).normalize();
    if (!root.startsWith(target)) {
      throw new SourceFetchException("context dir " + spec.contextDir().get() + " lies outside the source " + typed,
          "give --context-dir as a path inside the archive");
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new SourceFetchException("context dir " + spec.contextDir().get() + " does not exist in " + typed,
          "give --context-dir as an existing directory of the archive");
    }
    return root;
  }
}
