package io.s2i.cli.options;

import io.s2i.api.ArchiveLimits;
import io.s2i.api.BinaryInput;
import io.s2i.api.DetectOptions;
import io.s2i.api.Detection;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The flags of builder detection and of single-file sources, shared by {@code s2i detect} and
 * {@code s2i build}. The environment ({@code S2I_BUILDERS}, {@code S2I_ARCHIVE_MAX_*}) is read
 * here: the library takes values, not variables.
 */
public final class DetectionOptions {
  @Option(names = "--builders", paramLabel = "FILE",
      description = "Builder catalogue (YAML) used instead of the shipped one; default $S2I_BUILDERS.")
  String builders;

  @Option(names = "--strategy", paramLabel = "NAME",
      description = "source (build with a builder even when the source has a Dockerfile) or docker;"
          + " default: docker when a Dockerfile or Containerfile is at the source's top, else source.")
  String strategy;

  @Option(names = "--as-file", paramLabel = "NAME",
      description = "A single-file source arrives under this name in the source directory (never unpacked).")
  String asFile;

  @Option(names = "--from-archive",
      description = "Unpack the source file as an archive (tar, tar.gz, tar.bz2, tar.zst, zip, jar) even when it is a Java archive.")
  boolean fromArchive;

  /** How a single-file source is handled. */
  public BinaryInput binary(Map<String, String> env) throws S2iException {
    if (asFile != null && fromArchive) {
      throw usage("--as-file and --from-archive exclude each other: a file is either kept (and named) or unpacked");
    }
    BinaryInput.Archive archive = fromArchive ? BinaryInput.Archive.ALWAYS : BinaryInput.Archive.AUTO;
    return new BinaryInput(Optional.ofNullable(asFile), archive, limits(env));
  }

  /** The detection options; {@code engineImages} when an engine is there to ask. */
  public DetectOptions detectOptions(Map<String, String> env, boolean engineImages) throws S2iException {
    String file = builders != null ? builders : env.get("S2I_BUILDERS");
    Optional<Path> path = Optional.ofNullable(file).filter(f -> !f.isBlank()).map(Path::of);
    if (path.isPresent() && !Files.isRegularFile(path.get())) {
      throw usage((builders != null ? "--builders " : "S2I_BUILDERS=") + file
          + " is not a file; give the path of a YAML builder catalogue");
    }
    return new DetectOptions(path, engineImages, strategy());
  }

  /** Whether {@code --builders} was given. */
  public boolean buildersGiven() {
    return builders != null;
  }

  /** Whether {@code --strategy} was given. */
  public boolean strategyGiven() {
    return strategy != null;
  }

  private Optional<Detection.Strategy> strategy() throws S2iException {
    if (strategy == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Detection.Strategy.valueOf(strategy.strip().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw usage("--strategy \"" + strategy + "\" is neither source nor docker");
    }
  }

  private static ArchiveLimits limits(Map<String, String> env) throws S2iException {
    return new ArchiveLimits(positive(env, "S2I_ARCHIVE_MAX_ENTRIES", ArchiveLimits.DEFAULT.maxEntries()),
        positive(env, "S2I_ARCHIVE_MAX_BYTES", ArchiveLimits.DEFAULT.maxBytes()));
  }

  private static long positive(Map<String, String> env, String name, long fallback) throws S2iException {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(text.strip());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw usage(name + "=" + text + " is not a positive whole number");
  }

  private static S2iException usage(String message) {
    return new S2iException(FailureReason.INVALID_REQUEST, message, null);
  }
}
