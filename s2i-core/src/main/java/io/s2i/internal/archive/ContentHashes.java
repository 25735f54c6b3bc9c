package io.s2i.internal.archive;

import java.nio.file.Path;
import java.util.Optional;

/**
 * SHA-256 digests of file contents already known, so that a digest of an input archive need not
 * read files that did not change (as git's index does).
 */
public interface ContentHashes {
  /** Knows nothing and keeps nothing. */
  ContentHashes NONE = new ContentHashes() {
    @Override
    public Optional<byte[]> known(Path file, FileStamp stamp) {
      return Optional.empty();
    }

    @Override
    public void learned(Path file, FileStamp stamp, byte[] sha256) {}
  };

  /** The digest of {@code file}'s content, if it is known for a file with exactly this stamp. */
  Optional<byte[]> known(Path file, FileStamp stamp);

  /** {@code file}, with this stamp, has content with digest {@code sha256}. */
  void learned(Path file, FileStamp stamp, byte[] sha256);
}
