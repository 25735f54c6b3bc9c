package io.s2i.api;

/**
 * How much an archive given as the source may unpack to; more is refused as hostile (a zip bomb)
 * before it fills the disk.
 *
 * @param maxEntries most entries (files, directories, links)
 * @param maxBytes most bytes of file content, uncompressed
 */
public record ArchiveLimits(long maxEntries, long maxBytes) {
  /** 200,000 entries and 4 GiB. */
  public static final ArchiveLimits DEFAULT = new ArchiveLimits(200_000, 4L << 30);

  public ArchiveLimits {
    if (maxEntries <= 0 || maxBytes <= 0) {
      throw new IllegalArgumentException("archive limits must be positive");
    }
  }
}
