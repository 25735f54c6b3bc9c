package io.s2i.internal.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The source's own contract files ({@code .s2i/bin/*}, {@code .s2i/environment},
 * {@code .s2iignore}) as s2i reads them on the host. In a cloned source such a file may be a
 * committed symlink to anything on this machine; s2i refuses to read it through a link that leads
 * out of the clone (the build would otherwise take a host file's content, such as a key, into the
 * image or its environment).
 */
public final class SourceFiles {
  private SourceFiles() {}

  /**
   * The path of {@code relative} under the source root, to be read if it exists.
   *
   * @throws SourceFetchException when the source is a clone and the path leads outside it
   */
  public static Path contractFile(PreparedSource source, String relative) throws SourceFetchException {
    return contractFile(source.root(), source.cloneDir(), relative);
  }

  /**
   * As {@link #contractFile(PreparedSource, String)}, for a source root that lies in {@code clone}
   * when it was cloned.
   */
  public static Path contractFile(Path root, Optional<Path> clone, String relative) throws SourceFetchException {
    Path file = root.resolve(relative);
    if (clone.isEmpty() || !Files.exists(file)) {
      return file; // absent, or a broken link: read as absent
    }
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(clone.get().toRealPath())) {
        throw new SourceFetchException("the source's " + relative + " is a symlink to " + real
            + ", outside the repository",
            "commit the file itself, or a link to a file inside the repository");
      }
      return file;
    } catch (IOException e) {
      throw new SourceFetchException("cannot read the source's " + relative + ": " + e.getMessage(),
          "check the repository's content", e);
    }
  }
}
