package io.s2i.api;

import java.util.Optional;

/**
 * How a source that is a single file (not a directory or git URL) becomes the source directory,
 * as OpenShift's binary builds do ({@code oc start-build --from-file/--from-archive}).
 *
 * @param asFile name the file gets in the source directory ({@code binary.asFile}); when set, the
 *     file is never unpacked. Empty keeps its own name.
 * @param archive whether the file is unpacked as the source
 * @param limits how much an archive may unpack to
 */
public record BinaryInput(Optional<String> asFile, Archive archive, ArchiveLimits limits) {

  /** When a file source is unpacked. */
  public enum Archive {
    /**
     * By its content: tar (plain, gzip, bzip2 or zstd) and zip are unpacked; a Java archive (a zip
     * with {@code META-INF/MANIFEST.MF}, or named {@code .jar}, {@code .war}, {@code .ear}) and
     * anything else arrive as the one file.
     */
    AUTO,
    /** Always: the file must be an archive, Java archives included ({@code --from-archive}). */
    ALWAYS,
    /** Never: the file arrives as it is. */
    NEVER
  }

  public BinaryInput {
    asFile = asFile == null ? Optional.empty() : asFile.filter(s -> !s.isBlank());
    archive = archive == null ? Archive.AUTO : archive;
    limits = limits == null ? ArchiveLimits.DEFAULT : limits;
    if (asFile.isPresent() && archive == Archive.ALWAYS) {
      throw new IllegalArgumentException("a file is either renamed (asFile) or unpacked (archive), not both");
    }
    if (asFile.isPresent()) {
      archive = Archive.NEVER;
    }
  }

  /** The default: archives unpacked by their content, other files kept under their own name. */
  public static BinaryInput auto() {
    return new BinaryInput(Optional.empty(), Archive.AUTO, ArchiveLimits.DEFAULT);
  }
}
