package io.s2i.internal.build.step;

import io.s2i.api.BuildRequest;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.internal.archive.ArchiveMirror;
import io.s2i.internal.archive.ContentHashes;
import io.s2i.internal.archive.DirectoryTree;
import io.s2i.internal.archive.FileHashCache;
import io.s2i.internal.archive.InputArchive;
import io.s2i.internal.archive.SourceMirror;
import io.s2i.internal.build.AssemblePlan;
import io.s2i.internal.build.RuntimeImage;
import io.s2i.internal.scripts.ResolvedScript;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A digest of everything a build's result depends on: the source tree and scripts as they are sent
 * (names, modes, contents; not times), the builder and runtime image ids, the environment, the
 * injected files and every option that changes what runs or what is written. Equal digests mean
 * building again would do the same work on the same inputs. Taken only through
 * {@link InputsDigest}, which decides how.
 */
final class ComputeInputsDigestStep {
  private static final String VERSION = "s2i-java inputs v4";
  private final Path workspace;

  /**
   * @param workspace the build's own directory: sources cloned or copied there are new each
   *     build, so their file digests are not kept for the next one
   */
  ComputeInputsDigestStep(Path workspace) {
    this.workspace = workspace;
  }

  /** The digest, reading the sources for it alone (to compare with an existing image first). */
  String run(BuildRequest request, AssemblePlan plan, Optional<RuntimeImage> runtime)
      throws S2iException {
    return run(request, plan, runtime, Optional.empty());
  }

  /**
   * As {@link #run(BuildRequest, AssemblePlan, Optional)}, taking the source's part from
   * {@code scanned} when it was taken of the same tree ({@link SourceDigestPrefetch}).
   */
  String run(BuildRequest request, AssemblePlan plan, Optional<RuntimeImage> runtime,
      Optional<SourceMirror> scanned) throws S2iException {
    DirectoryTree source = InputArchiveFactory.sourceTree(plan, request.source().excludePattern(),
        request.source().keepSymlinks());
    Optional<SourceMirror> usable = scanned.filter(s -> s.covers(source));
    // The scan used (and saved) the file digests; a second cache of them would forget them all.
    Streamed digest = streamed(request, plan, runtime, usable.isEmpty());
    try {
      InputArchive.Builder archive = InputArchiveFactory.of(plan, source).mirrorOnly(digest);
      usable.ifPresent(archive::scanned);
      archive.build().writeTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw unreadable(e);
    }
    return digest.result().orElseThrow();
  }

  /**
   * A digest to take while the input archive is sent: pass it to the archive as its mirror; its
   * {@link Streamed#result()} is there once the archive was written completely.
   */
  Streamed streamed(BuildRequest request, AssemblePlan plan, Optional<RuntimeImage> runtime)
      throws S2iException {
    return streamed(request, plan, runtime, true);
  }

  private Streamed streamed(BuildRequest request, AssemblePlan plan, Optional<RuntimeImage> runtime,
      boolean keptDigests) throws S2iException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
        field(out, VERSION);
        field(out, plan.builder().image().id());
        field(out, runtime.map(r -> r.contract().image().id() + " " + r.artifacts() + " " + r.user()).orElse(""));
        field(out, String.join("\n", plan.digestEnvEntries()));
        field(out, plan.destination() + " " + plan.assembleUser());
        // Immutable maps iterate in a per-process order: sort everything that goes in.
        for (ResolvedScript s : new java.util.TreeMap<>(plan.scripts()).values()) {
          field(out, s.name() + " " + (s instanceof ResolvedScript.InImage in ? in.path() : "uploaded"));
        }
        field(out, request.run().toString());
        // Appended, not concatenated: a concatenation's call site is bootstrapped on first use (some
        // milliseconds in a fresh JVM, on every tagged build's path). Same text either way.
        field(out, new StringBuilder().append(new java.util.TreeMap<>(request.labels()))
            .append(request.displayName()).append(request.description()).append(request.tag()).toString());
        field(out, request.source().excludePattern() + " " + request.source().keepSymlinks()
            + " " + request.outputOptions().keepInputs() + " " + request.incremental().isPresent()
            + " " + request.sourceDateEpoch());
        for (var injection : plan.injections()) {
          field(out, injection.containerPath());
          hashTree(injection.hostPath(), out);
        }
      }
      Path root = plan.source().root().toAbsolutePath().normalize();
      Optional<FileHashCache> cache = !keptDigests || root.startsWith(workspace.toAbsolutePath().normalize())
          ? Optional.empty() : Optional.of(FileHashCache.forSourceRoot(root));
      return new Streamed(sha, cache);
    } catch (IOException e) {
      throw unreadable(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The digest of the options, then of the archive's mirrored part as it is written. */
  static final class Streamed implements ArchiveMirror {
    private final MessageDigest options;
    private final Optional<FileHashCache> hashes;
    private MessageDigest running;
    private volatile String result;

    private Streamed(MessageDigest options, Optional<FileHashCache> hashes) {
      this.options = options;
      this.hashes = hashes;
    }

    @Override
    public ContentHashes hashes() {
      return hashes.map(ContentHashes.class::cast).orElse(ContentHashes.NONE);
    }

    @Override
    public OutputStream begin() {
      result = null;
      try {
        running = (MessageDigest) options.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("SHA-256 digests can be cloned on every JDK", e);
      }
      return new DigestOutputStream(OutputStream.nullOutputStream(), running);
    }

    @Override
    public void end() {
      result = "sha256:" + HexFormat.of().formatHex(running.digest());
      hashes.ifPresent(FileHashCache::save);
    }

    /** The digest, if the archive was written to its end. */
    public Optional<String> result() {
      return Optional.ofNullable(result);
    }
  }

  private static S2iException unreadable(IOException e) {
    return new S2iException(FailureReason.FETCH_SOURCE_FAILED,
        "could not read the build inputs: " + e.getMessage(), "check the source's permissions", e);
  }

  private static void field(OutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.write(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
    out.write(':');
    out.write(bytes);
  }

  private static void hashTree(Path root, OutputStream out) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted().toList()) {
        field(out, root.relativize(p).toString());
        if (Files.isRegularFile(p)) {
          Files.copy(p, out);
        }
      }
    }
  }
}
