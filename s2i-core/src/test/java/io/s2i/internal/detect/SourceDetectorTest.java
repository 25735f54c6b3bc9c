package io.s2i.internal.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.S2i;
import io.s2i.api.BinaryInput;
import io.s2i.api.DetectOptions;
import io.s2i.api.Detection;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.api.SourceSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection of every kind of source, end to end, with no engine (the shipped catalogue only). */
class SourceDetectorTest {
  @TempDir Path tmp;

  private Detection detect(String location) throws S2iException {
    return detect(SourceSpec.local(location), DetectOptions.defaults());
  }

  private Detection detect(SourceSpec spec, DetectOptions options) throws S2iException {
    return S2i.detect(spec, options, EventSink.discard());
  }

  private Path dir(String name, String... pathsAndContents) throws IOException {
    Path d = Files.createDirectories(tmp.resolve(name));
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      Path f = d.resolve(pathsAndContents[i]);
      Files.createDirectories(f.getParent());
      Files.writeString(f, pathsAndContents[i + 1]);
    }
    return d;
  }

  @Test
  void aDirectoryGetsItsLanguageVersionAndBuilder() throws Exception {
    Path app = dir("py", "requirements.txt", "flask\n", ".python-version", "3.11.6\n");
    Detection d = detect(app.toString());
    assertThat(d.input()).isEqualTo(Detection.InputKind.DIRECTORY);
    assertThat(d.strategy()).isEqualTo(Detection.Strategy.SOURCE);
    assertThat(d.primary()).hasValueSatisfying(l -> {
      assertThat(l.term()).isEqualTo("python:3.11.6");
      assertThat(l.marker()).isEqualTo("requirements.txt");
      assertThat(l.versionSource()).contains(".python-version");
    });
    assertThat(d.requireBuilder()).isEqualTo("registry.access.redhat.com/ubi9/python-311");
    assertThat(S2i.detectionLabels(d)).containsEntry("io.s2i.detect.language", "python")
        .containsEntry("io.s2i.detect.language-version", "3.11.6")
        .containsEntry("io.s2i.detect.marker", "requirements.txt")
        .containsEntry("io.s2i.detect.builder", "registry.access.redhat.com/ubi9/python-311")
        .containsKey("io.s2i.detect.reason");
  }

  @Test
  void aGitRepositoryIsReadFromItsCommitsAtTheRefAndContextDir() throws Exception {
    Path repo = dir("repo", "web/package.json", "{\"engines\":{\"node\":\"18\"}}");
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("node 18").setSign(false).call();
      git.tag().setName("v1").call();
      Files.writeString(repo.resolve("web/package.json"), "{\"engines\":{\"node\":\"20\"}}");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("node 20").setSign(false).call();
    }
    SourceSpec atTag = new SourceSpec("file://" + repo, Optional.of("v1"), Optional.of("web"), false, false,
        SourceSpec.DEFAULT_EXCLUDE, false);
    Detection d = detect(atTag, DetectOptions.defaults());
    assertThat(d.input()).isEqualTo(Detection.InputKind.GIT);
    assertThat(d.primary().orElseThrow().term()).isEqualTo("nodejs:18");
    assertThat(d.requireBuilder()).endsWith("ubi9/nodejs-18");
  }

  @Test
  void aTarGzIsUnpackedToBeDetected() throws Exception {
    Path archive = tmp.resolve("app.tgz");
    try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(archive));
         TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      byte[] gemfile = "gem 'rails'\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("./Gemfile");
      e.setSize(gemfile.length);
      tar.putArchiveEntry(e);
      tar.write(gemfile);
      tar.closeArchiveEntry();
    }
    Detection d = detect(archive.toString());
    assertThat(d.input()).isEqualTo(Detection.InputKind.ARCHIVE);
    assertThat(d.primary().orElseThrow().language()).isEqualTo("ruby");
    assertThat(d.requireBuilder()).endsWith("ubi9/ruby-33");
  }

  @Test
  void aJarIsJavaBinaryOfTheReleaseItsClassesNeed() throws Exception {
    Path jar = jar(tmp.resolve("app.jar"), 61);
    Detection d = detect(jar.toString());
    assertThat(d.input()).isEqualTo(Detection.InputKind.FILE);
    assertThat(d.primary()).hasValueSatisfying(l -> {
      assertThat(l.term()).isEqualTo("java-binary:17");
      assertThat(l.marker()).isEqualTo("app.jar");
      assertThat(l.versionSource().orElseThrow()).contains("Main-Class app.Main").contains("class file version 61");
    });
    assertThat(d.requireBuilder()).endsWith("ubi9/openjdk-17");
    Detection unpacked = detect(SourceSpec.local(jar.toString())
        .withBinary(new BinaryInput(Optional.empty(), BinaryInput.Archive.ALWAYS, null)), DetectOptions.defaults());
    assertThat(unpacked.input()).as("--from-archive unpacks even a jar").isEqualTo(Detection.InputKind.ARCHIVE);
  }

  @Test
  void anExecutableIsBinaryAndHasNoBuilderInTheShippedCatalogue() throws Exception {
    Path exe = Files.copy(Path.of("/bin/true"), tmp.resolve("server"));
    Detection d = detect(exe.toString());
    assertThat(d.primary().orElseThrow().language()).isEqualTo("binary");
    assertThat(d.builder()).isEmpty();
    assertThatThrownBy(d::requireBuilder).isInstanceOf(S2iException.class)
        .hasMessageContaining("no builder image for binary (server)")
        .satisfies(e -> assertThat(((S2iException) e).reason()).isEqualTo(FailureReason.DETECTION_FAILED));
  }

  @Test
  void aUserCatalogueReplacesTheShippedOne() throws Exception {
    Path catalogue = Files.writeString(tmp.resolve("b.yaml"),
        "builders:\n  - image: localhost/my/binary-runner\n    language: binary\n    default: true\n");
    Detection d = detect(SourceSpec.local(Files.copy(Path.of("/bin/true"), tmp.resolve("t")).toString()),
        new DetectOptions(Optional.of(catalogue), false, Optional.empty()));
    assertThat(d.requireBuilder()).isEqualTo("localhost/my/binary-runner");
    assertThat(d.builder().orElseThrow().reason()).contains(catalogue.toString());
  }

  @Test
  void aDockerfileChoosesTheDockerStrategyUnlessSourceIsAskedFor() throws Exception {
    Path app = dir("dockerized", "package.json", "{}", "Dockerfile", "FROM node:20\n");
    Detection d = detect(app.toString());
    assertThat(d.strategy()).isEqualTo(Detection.Strategy.DOCKER);
    assertThat(d.dockerfile().orElseThrow().from()).contains("node:20");
    assertThat(d.builder()).as("the builder a source build would use is still shown").isPresent();
    assertThatThrownBy(d::requireBuilder).hasMessageContaining("has a Dockerfile, so its strategy is docker");
    Detection source = detect(SourceSpec.local(app.toString()),
        new DetectOptions(Optional.empty(), false, Optional.of(Detection.Strategy.SOURCE)));
    assertThat(source.requireBuilder()).endsWith("ubi9/nodejs-22");
    Detection dockerOnly = detect(dir("only-docker", "Dockerfile", "FROM scratch\n").toString());
    assertThat(dockerOnly.languages()).isEmpty();
    assertThat(dockerOnly.strategy()).isEqualTo(Detection.Strategy.DOCKER);
  }

  @Test
  void nothingDetectedNamesTheMarkersLookedFor() throws Exception {
    Detection d = detect(dir("nothing", "README.md", "hi\n").toString());
    assertThat(d.languages()).isEmpty();
    assertThatThrownBy(d::requireBuilder)
        .hasMessageContaining("no language detected in")
        .hasMessageContaining("Gemfile, Rakefile, config.ru (ruby)")
        .hasMessageContaining("pom.xml, build.gradle, build.gradle.kts (java)")
        .satisfies(e -> assertThat(((S2iException) e).suggestion().orElseThrow()).contains("<image> <tag>"));
  }

  @Test
  void aPlainFileGivenAsAnArchiveIsRefused() throws Exception {
    Path text = Files.writeString(tmp.resolve("notes.txt"), "hello\n");
    SourceSpec spec = SourceSpec.local(text.toString())
        .withBinary(new BinaryInput(Optional.empty(), BinaryInput.Archive.ALWAYS, null));
    assertThatThrownBy(() -> detect(spec, DetectOptions.defaults()))
        .hasMessageContaining("is not an archive (it looks like a plain file)");
  }

  /** A jar whose Main-Class file carries class-file version {@code major}. */
  static Path jar(Path file, int major) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "app.Main");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), m)) {
      out.putNextEntry(new JarEntry("app/Main.class"));
      out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, (byte) major});
      out.closeEntry();
    }
    return file;
  }
}
