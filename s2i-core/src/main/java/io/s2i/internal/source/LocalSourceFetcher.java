package io.s2i.internal.source;

import io.s2i.api.SourceInfo;
import io.s2i.api.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Uses a local directory in place: nothing is copied; the input tar is written straight from it.
 * The context dir must stay inside the directory.
 */
public final class LocalSourceFetcher {

  /** Checks the directory and returns it as a prepared source. */
  public PreparedSource fetch(SourceSpec spec, SourceLocation.Local location) throws SourceFetchException {
    Path dir = location.path().toAbsolutePath().normalize();
    if (!Files.exists(dir)) {
      throw new SourceFetchException(
          "source directory " + location.asTyped() + " does not exist",
          "give source.location an existing directory or a git URL");
    }
    if (!Files.isDirectory(dir)) {
      throw new SourceFetchException(
          "source " + location.asTyped() + " is not a directory",
          "pass the directory that holds the application, not a file");
    }
    if (!Files.isReadable(dir)) {
      throw new SourceFetchException(
          "source directory " + location.asTyped() + " is not readable",
          "check the directory's permissions");
    }
    Path root = dir;
    if (spec.contextDir().isPresent()) {
      root = dir.resolve(spec.contextDir().get()).normalize();
      if (!root.startsWith(dir)) {
        throw new SourceFetchException(
            "context dir " + spec.contextDir().get() + " lies outside the source " + location.asTyped(),
            "give source.contextDir as a path inside the source");
      }
      if (!Files.isDirectory(root)) {
        throw new SourceFetchException(
            "context dir " + spec.contextDir().get() + " does not exist in " + location.asTyped(),
            "give source.contextDir as an existing sub-directory of the source");
      }
    }
    return new PreparedSource(root,
        new SourceInfo(location.asTyped(), spec.contextDir(), Optional.empty()));
  }
}
