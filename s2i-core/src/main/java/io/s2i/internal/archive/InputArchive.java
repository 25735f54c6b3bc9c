package io.s2i.internal.archive;

import io.s2i.engine.ArchiveSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The tar stream sent to an assemble container: {@code artifacts/} (incremental builds),
 * {@code scripts/} (scripts to upload, mode 0755) and {@code src/} (the source tree), with no
 * entry for the root, as upstream lays it out. Written straight from the source directory: no
 * temporary copy is made.
 */
public final class InputArchive implements ArchiveSource {
  private final Optional<DirectoryTree> artifacts;
  private final Optional<TarStreamSource> artifactsStream;
  private final Map<String, Path> scripts;
  private final Optional<DirectoryTree> source;
  private final Consumer<String> warnings;
  private final FileTime dirTime;
  private final long uid;
  private final long gid;
  private final Optional<ArchiveMirror> mirror;
  private final boolean mirrorOnly;
  private final Optional<SourceMirror> scanned;

  private InputArchive(Builder b) {
    this.artifacts = Optional.ofNullable(b.artifacts);
    this.artifactsStream = Optional.ofNullable(b.artifactsStream);
    this.scripts = new TreeMap<>(b.scripts);
    this.source = Optional.ofNullable(b.source);
    this.warnings = b.warnings;
    this.dirTime = FileTime.from(b.dirTime);
    this.uid = b.uid;
    this.gid = b.gid;
    this.mirror = Optional.ofNullable(b.mirror);
    this.mirrorOnly = b.mirrorOnly;
    this.scanned = Optional.ofNullable(b.scanned);
  }

  /** Starts an archive. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    EntryTarStream tar = TarEntries.open(new NonClosingOutputStream(out), uid, gid);
    if (artifacts.isPresent()) {
      TarEntries.directory(tar, artifacts.get().prefix(), 0700, dirTime);
      artifacts.get().write(tar, warnings);
    }
    if (artifactsStream.isPresent()) {
      // First in the stream: if the producer fails, the build learns it before sending the source.
      TarEntries.directory(tar, "artifacts", 0700, dirTime);
      artifactsStream.get().withStream(in -> TarRelay.copy(in, tar, "artifacts", warnings));
    }
    MirrorRecords records = null;
    if (mirror.isPresent()) {
      records = new MirrorRecords(mirror.get().begin());
      tar.mirrorTo(records, mirror.get().hashes(), mirrorOnly);
    }
    try {
      TarEntries.directory(tar, "scripts", 0755, dirTime);
      for (var e : scripts.entrySet()) {
        TarEntries.file(tar, "scripts/" + e.getKey(), e.getValue(), 0755,
            Files.getLastModifiedTime(e.getValue()));
      }
      TarEntries.directory(tar, "src", 0755, dirTime);
      if (source.isPresent()) {
        if (mirrorOnly && scanned.isPresent() && scanned.get().covers(source.get())) {
          scanned.get().replay(source.get(), records);
        } else {
          source.get().write(tar, warnings);
        }
      }
      tar.finish();
      tar.flush();
      tar.finishMirror();
    } catch (IOException | RuntimeException e) {
      tar.abandonMirror();
      throw e;
    }
    if (records != null) {
      records.flush();
      mirror.get().end();
    }
  }

  /** The archive paths of the scripts it carries. */
  public List<String> scriptNames() {
    return new ArrayList<>(scripts.keySet());
  }

  /** Collects the parts of an input archive. */
  public static final class Builder {
    private DirectoryTree artifacts;
    private TarStreamSource artifactsStream;
    private final Map<String, Path> scripts = new TreeMap<>();
    private DirectoryTree source;
    private Consumer<String> warnings = w -> {};
    private Instant dirTime = Instant.now();
    private long uid;
    private long gid;
    private ArchiveMirror mirror;
    private boolean mirrorOnly;
    private SourceMirror scanned;

    /** Also writes the scripts and source part, time-less, to {@code mirror} (for an inputs digest). */
    public Builder mirror(ArchiveMirror mirror) {
      this.mirror = mirror;
      return this;
    }

    /**
     * Writes only to {@code mirror}, nothing to the archive's own stream; files whose digest the
     * mirror knows are not read.
     */
    public Builder mirrorOnly(ArchiveMirror mirror) {
      this.mirror = mirror;
      this.mirrorOnly = true;
      return this;
    }

    /**
     * The source's records taken earlier ({@link SourceMirror#scan}); a mirror-only archive of the
     * same tree replays them instead of walking it.
     */
    public Builder scanned(SourceMirror mirror) {
      this.scanned = mirror;
      return this;
    }

    /**
     * The owner written on every entry. Root (the default) suits an archive unpacked by the
     * container's own tar as the assemble user; an archive the engine unpacks needs the user's ids.
     */
    public Builder owner(long uid, long gid) {
      this.uid = uid;
      this.gid = gid;
      return this;
    }

    public Builder artifacts(Path dir) {
      this.artifacts = new DirectoryTree(dir, "artifacts", p -> false, true);
      return this;
    }

    /** Artifacts relayed from a live tar stream (such as save-artifacts' stdout), no temp file. */
    public Builder artifacts(TarStreamSource stream) {
      this.artifactsStream = stream;
      return this;
    }

    public Builder script(String name, Path file) {
      scripts.put(name, file);
      return this;
    }

    public Builder source(DirectoryTree tree) {
      this.source = tree;
      return this;
    }

    public Builder warnings(Consumer<String> warnings) {
      this.warnings = warnings;
      return this;
    }

    /** The modification time of the synthetic top directories (for repeatable archives). */
    public Builder directoryTime(Instant time) {
      this.dirTime = time;
      return this;
    }

    public InputArchive build() {
      return new InputArchive(this);
    }
  }
}
