package io.s2i.internal.archive;

import io.s2i.engine.ArchiveSource;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.SourceSpec;
import io.s2i.internal.source.SourceFilter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputArchiveTest {
  @TempDir Path tmp;
  Path src;
  Path scripts;

  /** Name, entry and content (for files) of every entry, in archive order. */
  record Entry(TarArchiveEntry header, String content) {}

  static Map<String, Entry> read(byte[] tar) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        String content = e.isFile() ? new String(in.readAllBytes(), StandardCharsets.UTF_8) : null;
        assertThat(entries.put(e.getName(), new Entry(e, content))).as("duplicate " + e.getName()).isNull();
      }
    }
    return entries;
  }

  static byte[] write(ArchiveSource archive) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    archive.writeTo(out);
    return out.toByteArray();
  }

  static void file(Path p, String content, String perms) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
  }

  @BeforeEach
  void tree() throws IOException {
    src = Files.createDirectories(tmp.resolve("src"));
    file(src.resolve("a.txt"), "a", "rw-r--r--");
    file(src.resolve("run.sh"), "#!/bin/sh", "rwxr-x---");
    file(src.resolve("dir/inner.txt"), "inner", "rw-------");
    Files.setPosixFilePermissions(src.resolve("dir"), PosixFilePermissions.fromString("rwx--x--x"));
    file(src.resolve(".git/HEAD"), "ref: refs/heads/main", "rw-r--r--");
    file(src.resolve(".github/ci.yml"), "ci", "rw-r--r--");
    file(src.resolve(".gitignore"), "*.o", "rw-r--r--");
    Files.createSymbolicLink(src.resolve("link-file"), Path.of("a.txt"));
    Files.createSymbolicLink(src.resolve("link-dir"), Path.of("dir"));
    Files.createSymbolicLink(src.resolve("broken"), Path.of("does-not-exist"));
    scripts = Files.createDirectories(tmp.resolve("scripts"));
    file(scripts.resolve("run"), "run-script", "rw-r--r--");
    file(scripts.resolve("assemble"), "assemble-script", "rw-------");
  }

  private InputArchive archive(boolean keepSymlinks) {
    SourceFilter filter =
        new SourceFilter(Pattern.compile(SourceSpec.DEFAULT_EXCLUDE), Set.of(), Set.of());
    return InputArchive.builder()
        .script("run", scripts.resolve("run"))
        .script("assemble", scripts.resolve("assemble"))
        .source(new DirectoryTree(src, "src", filter::excludes, keepSymlinks))
        .directoryTime(Instant.parse("2024-01-01T00:00:00Z"))
        .build();
  }

  @Test
  void entriesAreInUpstreamOrderWithoutRoot() throws Exception {
    Map<String, Entry> entries = read(write(archive(false)));
    assertThat(new ArrayList<>(entries.keySet())).containsExactly(
        "scripts/",
        "scripts/assemble",
        "scripts/run",
        "src/",
        "src/.github/",
        "src/.github/ci.yml",
        "src/.gitignore",
        "src/a.txt",
        "src/broken",
        "src/dir/",
        "src/dir/inner.txt",
        "src/link-dir/",
        "src/link-dir/inner.txt",
        "src/link-file",
        "src/run.sh");
  }

  @Test
  void excludedGitDirectoryIsAbsentNotEmpty() throws Exception {
    Map<String, Entry> entries = read(write(archive(false)));
    assertThat(entries.keySet()).noneMatch(n -> n.startsWith("src/.git/") || n.equals("src/.git"));
    assertThat(entries).containsKeys("src/.github/ci.yml", "src/.gitignore");
  }

  @Test
  void scriptsAre0755AndKeepContent() throws Exception {
    Map<String, Entry> entries = read(write(archive(false)));
    assertThat(entries.get("scripts/run").header().getMode() & 07777).isEqualTo(0755);
    assertThat(entries.get("scripts/assemble").header().getMode() & 07777).isEqualTo(0755);
    assertThat(entries.get("scripts/run").content()).isEqualTo("run-script");
    assertThat(entries.get("scripts/").header().isDirectory()).isTrue();
    assertThat(entries.get("scripts/").header().getMode() & 07777).isEqualTo(0755);
    assertThat(entries.get("src/").header().getMode() & 07777).isEqualTo(0755);
  }

  @Test
  void hostModesAndContentArePreserved() throws Exception {
    Map<String, Entry> entries = read(write(archive(false)));
    assertThat(entries.get("src/a.txt").header().getMode() & 07777).isEqualTo(0644);
    assertThat(entries.get("src/run.sh").header().getMode() & 07777).isEqualTo(0750);
    assertThat(entries.get("src/dir/").header().getMode() & 07777).isEqualTo(0711);
    assertThat(entries.get("src/dir/inner.txt").header().getMode() & 07777).isEqualTo(0600);
    assertThat(entries.get("src/a.txt").content()).isEqualTo("a");
    assertThat(entries.get("src/dir/inner.txt").content()).isEqualTo("inner");
    assertThat(entries.get("src/a.txt").header().isFile()).isTrue();
    assertThat(entries.get("src/dir/").header().isDirectory()).isTrue();
  }

  @Test
  void ownershipIsRoot() throws Exception {
    for (Entry e : read(write(archive(true))).values()) {
      assertThat(e.header().getLongUserId()).as(e.header().getName()).isZero();
      assertThat(e.header().getLongGroupId()).as(e.header().getName()).isZero();
    }
  }

  @Test
  void symlinksAreFollowedByDefault() throws Exception {
    Map<String, Entry> entries = read(write(archive(false)));
    TarArchiveEntry linkFile = entries.get("src/link-file").header();
    assertThat(linkFile.isSymbolicLink()).isFalse();
    assertThat(linkFile.isFile()).isTrue();
    assertThat(entries.get("src/link-file").content()).isEqualTo("a");
    assertThat(linkFile.getMode() & 07777).isEqualTo(0644);
    assertThat(entries.get("src/link-dir/").header().isDirectory()).isTrue();
    assertThat(entries.get("src/link-dir/").header().getMode() & 07777).isEqualTo(0711);
    assertThat(entries.get("src/link-dir/inner.txt").content()).isEqualTo("inner");
  }

  @Test
  void brokenSymlinkIsKeptAsSymlinkInBothModes() throws Exception {
    for (boolean keep : new boolean[] {false, true}) {
      TarArchiveEntry broken = read(write(archive(keep))).get("src/broken").header();
      assertThat(broken.isSymbolicLink()).as("keepSymlinks=" + keep).isTrue();
      assertThat(broken.getLinkName()).isEqualTo("does-not-exist");
    }
  }

  @Test
  void symlinksAreKeptWhenAsked() throws Exception {
    Map<String, Entry> entries = read(write(archive(true)));
    assertThat(entries.get("src/link-file").header().isSymbolicLink()).isTrue();
    assertThat(entries.get("src/link-file").header().getLinkName()).isEqualTo("a.txt");
    assertThat(entries.get("src/link-dir").header().isSymbolicLink()).isTrue();
    assertThat(entries.get("src/link-dir").header().getLinkName()).isEqualTo("dir");
    assertThat(entries.keySet()).noneMatch(n -> n.startsWith("src/link-dir/"));
  }

  @Test
  void writingTwiceGivesIdenticalBytes() throws Exception {
    InputArchive archive = archive(false);
    byte[] first = write(archive);
    byte[] second = write(archive);
    assertThat(second).isEqualTo(first);
    assertThat(first.length % 512).isZero();
  }

  @Test
  void scriptNamesAreSorted() {
    assertThat(archive(false).scriptNames()).containsExactly("assemble", "run");
  }

  @Test
  void emptyArchiveHasOnlyTheTopDirectories() throws Exception {
    InputArchive archive = InputArchive.builder().build();
    assertThat(read(write(archive)).keySet()).containsExactly("scripts/", "src/");
  }

  @Test
  void artifactsComeFirstWithMode0700() throws Exception {
    Path artifacts = Files.createDirectories(tmp.resolve("artifacts"));
    file(artifacts.resolve("cache/x.jar"), "jar", "rw-r--r--");
    InputArchive archive = InputArchive.builder()
        .artifacts(artifacts)
        .source(new DirectoryTree(src, "src", p -> !p.equals("a.txt"), false))
        .build();
    Map<String, Entry> entries = read(write(archive));
    assertThat(new ArrayList<>(entries.keySet()).subList(0, 4))
        .containsExactly("artifacts/", "artifacts/cache/", "artifacts/cache/x.jar", "scripts/");
    assertThat(entries.get("artifacts/").header().getMode() & 07777).isEqualTo(0700);
    assertThat(entries.keySet()).containsExactly(
        "artifacts/", "artifacts/cache/", "artifacts/cache/x.jar", "scripts/", "src/", "src/a.txt");
  }

  @Test
  void excludedDirectoryTakesItsContentWithIt() throws Exception {
    InputArchive archive = InputArchive.builder()
        .source(new DirectoryTree(src, "src",
            new SourceFilter(null, Set.of("dir"), Set.of())::excludes, true))
        .build();
    Map<String, Entry> entries = read(write(archive));
    assertThat(entries.keySet()).noneMatch(n -> n.startsWith("src/dir"));
    assertThat(entries).containsKey("src/.git/HEAD");
  }

  @Test
  void movedScriptsAreLeftOutOfTheSource() throws Exception {
    file(src.resolve(".s2i/bin/assemble"), "x", "rwxr-xr-x");
    InputArchive archive = InputArchive.builder()
        .script("assemble", src.resolve(".s2i/bin/assemble"))
        .source(new DirectoryTree(src, "src", new SourceFilter(
            Pattern.compile(SourceSpec.DEFAULT_EXCLUDE), Set.of(), Set.of(".s2i/bin/assemble"))::excludes,
            false))
        .build();
    Map<String, Entry> entries = read(write(archive));
    assertThat(entries).containsKeys("scripts/assemble", "src/.s2i/bin/");
    assertThat(entries).doesNotContainKey("src/.s2i/bin/assemble");
  }

  @Test
  void symlinkLoopIsSkippedWithWarning() throws Exception {
    Files.createSymbolicLink(src.resolve("dir/loop"), Path.of(".."));
    List<String> warnings = new ArrayList<>();
    InputArchive archive = InputArchive.builder()
        .source(new DirectoryTree(src, "src", p -> false, false))
        .warnings(warnings::add)
        .build();
    Map<String, Entry> entries = read(write(archive));
    assertThat(entries).doesNotContainKey("src/dir/loop/");
    assertThat(warnings).anyMatch(w -> w.contains("loop"));
  }

  @Test
  void writingDoesNotCloseTheTargetStream() throws Exception {
    boolean[] closed = {false};
    ByteArrayOutputStream out = new ByteArrayOutputStream() {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    archive(false).writeTo(out);
    assertThat(closed[0]).isFalse();
    assertThat(out.size()).isPositive();
  }

  /** Collects what a mirror receives, once per write of the archive. */
  static class CollectingMirror implements ArchiveMirror {
    final List<byte[]> completed = new ArrayList<>();
    private ByteArrayOutputStream current;

    @Override
    public java.io.OutputStream begin() {
      current = new ByteArrayOutputStream();
      return current;
    }

    @Override
    public void end() {
      completed.add(current.toByteArray());
    }
  }

  @Test
  void mirrorIsTheSameWhateverTheTimesOwnerAndArtifactsOfTheSentArchive() throws Exception {
    String longName = "deep/" + "d".repeat(120) + "/n\u00e4me.txt";
    file(src.resolve(longName), "long and non-ASCII\n", "rw-r--r--");
    Path artifacts = Files.createDirectories(tmp.resolve("artifacts"));
    file(artifacts.resolve("cache.bin"), "cached", "rw-r--r--");
    DirectoryTree source = new DirectoryTree(src, "src", p -> false, false);

    CollectingMirror sent = new CollectingMirror();
    byte[] sentBytes = write(InputArchive.builder().source(source).script("assemble", scripts.resolve("assemble"))
        .artifacts(artifacts).owner(1001, 0).mirror(sent).build());
    CollectingMirror alone = new CollectingMirror();
    InputArchive.builder().source(source).script("assemble", scripts.resolve("assemble"))
        .directoryTime(Instant.EPOCH).mirror(alone).build().writeTo(java.io.OutputStream.nullOutputStream());

    assertThat(sent.completed).hasSize(1);
    assertThat(alone.completed).hasSize(1);
    assertThat(sent.completed.get(0)).isEqualTo(alone.completed.get(0));
    // One line per entry: name, type and mode, link target, content digest; no time, no owner.
    List<String> lines = new String(alone.completed.get(0), StandardCharsets.UTF_8).lines().toList();
    String longLine = lines.stream().filter(l -> l.startsWith("src/" + longName + "\0")).findFirst().orElseThrow();
    assertThat(longLine.split("\0")).containsExactly("src/" + longName, "0644", "",
        java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest("long and non-ASCII\n".getBytes(StandardCharsets.UTF_8))));
    assertThat(lines).noneMatch(l -> l.startsWith("artifacts"));
    assertThat(lines).contains("src/broken\0" + "2777\0does-not-exist\0-");
    // The archive that was sent keeps its times, owner and artifacts.
    Map<String, Entry> real = read(sentBytes);
    assertThat(real).containsKey("artifacts/cache.bin");
    assertThat(real.get("src/" + longName).header().getLongUserId()).isEqualTo(1001);
    assertThat(real.get("src/" + longName).header().getModTime().getTime()).isNotZero();
  }

  @Test
  void mirrorFollowsContentNotModificationTimes() throws IOException {
    DirectoryTree source = new DirectoryTree(src, "src", p -> false, false);
    CollectingMirror m = new CollectingMirror();
    InputArchive archive = InputArchive.builder().source(source).mirror(m).build();
    archive.writeTo(java.io.OutputStream.nullOutputStream());
    Path some;
    try (var files = Files.walk(src)) {
      some = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    Files.setLastModifiedTime(some, java.nio.file.attribute.FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
    archive.writeTo(java.io.OutputStream.nullOutputStream());
    Files.writeString(some, "changed");
    archive.writeTo(java.io.OutputStream.nullOutputStream());
    assertThat(m.completed).hasSize(3);
    assertThat(m.completed.get(1)).isEqualTo(m.completed.get(0));
    assertThat(m.completed.get(2)).isNotEqualTo(m.completed.get(0));
  }

  /** Remembers what it learned; knows what it was told. */
  static final class MapHashes implements ContentHashes {
    final Map<Path, byte[]> learned = new LinkedHashMap<>();
    final Map<Path, byte[]> known = new LinkedHashMap<>();

    @Override
    public java.util.Optional<byte[]> known(Path file, FileStamp stamp) {
      return java.util.Optional.ofNullable(known.get(file));
    }

    @Override
    public void learned(Path file, FileStamp stamp, byte[] sha256) {
      learned.put(file, sha256);
    }
  }

  /** A mirror with content hashes. */
  static final class HashedMirror extends CollectingMirror {
    final MapHashes hashes = new MapHashes();

    @Override
    public ContentHashes hashes() {
      return hashes;
    }
  }

  @Test
  void streamingLearnsFileDigestsAndAMirrorOnlyArchiveUsesThemWithoutReading() throws Exception {
    DirectoryTree source = new DirectoryTree(src, "src", p -> false, false);
    HashedMirror streamed = new HashedMirror();
    InputArchive.builder().source(source).mirror(streamed).build().writeTo(java.io.OutputStream.nullOutputStream());
    Path a = src.resolve("a.txt");
    assertThat(streamed.hashes.learned.get(a))
        .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest("a".getBytes(StandardCharsets.UTF_8)));

    HashedMirror onlyMirror = new HashedMirror();
    InputArchive.builder().source(source).mirrorOnly(onlyMirror).build().writeTo(java.io.OutputStream.nullOutputStream());
    assertThat(onlyMirror.completed.get(0)).isEqualTo(streamed.completed.get(0));

    HashedMirror told = new HashedMirror();
    told.hashes.known.put(a, new byte[32]); // not a.txt's digest: proves the file was not read
    InputArchive.builder().source(source).mirrorOnly(told).build().writeTo(java.io.OutputStream.nullOutputStream());
    assertThat(told.completed.get(0)).isNotEqualTo(streamed.completed.get(0));
    assertThat(told.hashes.learned).doesNotContainKey(a).isNotEmpty();
  }

  @Test
  void aFollowedLinkLeadingOutOfTheSourceIsNamedInAWarning() throws Exception {
    Files.createDirectories(tmp.resolve("tree"));
    Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(outside.resolve("f"), "x");
    Files.createSymbolicLink(tmp.resolve("tree/out"), outside);
    Files.createSymbolicLink(tmp.resolve("tree/in"), Path.of("sub"));
    Files.createDirectories(tmp.resolve("tree/sub"));
    List<String> warnings = new ArrayList<>();
    InputArchive archive = InputArchive.builder().warnings(warnings::add)
        .source(new DirectoryTree(tmp.resolve("tree"), "src", p -> false, false)).build();
    assertThat(read(write(archive))).containsKey("src/out/f");
    assertThat(warnings).singleElement().asString()
        .contains("the symlink out -> " + outside).contains("leads outside the source");
  }
}
