package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Detection from end to end on the real engine: {@code s2i detect}, then {@code s2i build --detect}
 * and a run of the result, for a directory, a git repository, a tar.gz, a jar and an executable.
 * The jar and the executable find the example binary builders by their {@code io.openshift.tags}
 * (beating the shipped catalogue's public images); the Python app is mapped by a catalogue file to
 * the example shell builder (no real Python builder can be made offline), which runs its app.sh.
 */
class DetectIT extends EngineTestBase {
  static final String SHELL_BUILDER = "localhost/s2i-example/shell-builder:latest";
  static final String BINARY_BUILDER = "localhost/s2i-example/binary-builder:latest";
  static final String JAVA_BUILDER = "localhost/s2i-example/java-binary-builder:latest";
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void requireExampleBuilders() {
    for (String image : List.of(SHELL_BUILDER, BINARY_BUILDER, JAVA_BUILDER)) {
      assertThat(Docker.imageExists(image)).as(image + " (scripts/ensure-example-builder.sh,"
          + " scripts/ensure-binary-builders.sh)").isTrue();
    }
  }

  /** A Python app (3.11 by .python-version) whose app.sh the shell builder runs. */
  private Path pythonApp(String name) throws Exception {
    return writeApp(name, "requirements.txt", "flask==3.0\n", ".python-version", "3.11\n",
        "app.sh", "#!/bin/sh\necho \"hello from the $(cat requirements.txt | cut -d= -f1) app\"\n");
  }

  /** A catalogue naming the shell builder for python 3.11 (and a decoy default). */
  private Path catalogue() throws Exception {
    return Files.writeString(tmp.resolve("builders.yaml"), "builders:\n"
        + "  - {image: " + SHELL_BUILDER + ", language: python, version: \"3.11\"}\n"
        + "  - {image: 127.0.0.1:1/none/python, language: python, version: \"3.12\", default: true}\n");
  }

  private static JsonNode labels(String image) {
    return Docker.inspectImage(image).get("Config").get("Labels");
  }

  @Test
  void aDirectoryIsDetectedBuiltAndRun() throws Exception {
    Path app = pythonApp("py");
    Path catalogue = catalogue();
    var detect = s2i("detect", app.toString(), "--builders", catalogue.toString(), "-o", "json");
    assertThat(detect.exitCode()).as(detect.all()).isZero();
    JsonNode d = JSON.readTree(detect.stdout());
    assertThat(d.get("input").asText()).isEqualTo("directory");
    assertThat(d.get("languages").get(0).get("term").asText()).isEqualTo("python:3.11");
    assertThat(d.get("languages").get(0).get("versionSource").asText()).isEqualTo(".python-version");
    assertThat(d.get("builder").get("image").asText()).isEqualTo(SHELL_BUILDER);
    assertThat(d.get("builder").get("match").asText()).isEqualTo("exact_version");
    assertThat(d.get("builder").get("origin").asText()).isEqualTo(catalogue.toString());

    String out = outputImage("detect-dir");
    var build = s2i("build", app.toString(), "--detect", out, "--builders", catalogue.toString(), "-p", "never");
    assertThat(build.exitCode()).as(build.all()).isZero();
    assertThat(build.stderr()).contains("Detected python 3.11 (requirements.txt); building with " + SHELL_BUILDER);
    JsonNode labels = labels(out);
    assertThat(labels.get("io.s2i.detect.language").asText()).isEqualTo("python");
    assertThat(labels.get("io.s2i.detect.language-version").asText()).isEqualTo("3.11");
    assertThat(labels.get("io.s2i.detect.marker").asText()).isEqualTo("requirements.txt");
    assertThat(labels.get("io.s2i.detect.builder").asText()).isEqualTo(SHELL_BUILDER);
    assertThat(labels.get("io.s2i.detect.reason").asText()).startsWith("exact version:");
    assertThat(labels.get("io.openshift.s2i.build.image").asText()).isEqualTo(SHELL_BUILDER);
    assertThat(Docker.runImage(out).stdout()).isEqualTo("hello from the flask app\n");
  }

  @Test
  void aGitRepositoryIsDetectedAtItsRefAndBuiltWithTheCatalogueFromTheEnvironment() throws Exception {
    Path repo = pythonApp("repo");
    RevCommit tagged;
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      tagged = git.commit().setMessage("python 3.11").setSign(false).call();
      git.tag().setName("v1").call();
      Files.writeString(repo.resolve(".python-version"), "3.12\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("python 3.12").setSign(false).call();
    }
    Map<String, String> env = Map.of("S2I_BUILDERS", catalogue().toString());
    String url = "file://" + repo;
    var detect = s2i(env, "detect", url, "--ref", "v1");
    assertThat(detect.exitCode()).as(detect.all()).isZero();
    assertThat(detect.stdout()).contains("Source:    " + url + " (git)").contains("1. python 3.11")
        .contains("Builder:   " + SHELL_BUILDER);

    String out = outputImage("detect-git");
    var build = s2i(env, "build", url, "--detect", out, "--ref", "v1", "-p", "never");
    assertThat(build.exitCode()).as(build.all()).isZero();
    JsonNode labels = labels(out);
    assertThat(labels.get("io.s2i.detect.language-version").asText()).isEqualTo("3.11");
    assertThat(labels.get("io.openshift.s2i.build.commit.id").asText()).isEqualTo(tagged.getName());
    assertThat(Docker.runImage(out).stdout()).isEqualTo("hello from the flask app\n");
  }

  @Test
  void aTarGzIsUnpackedDetectedBuiltAndRun() throws Exception {
    Path app = pythonApp("tgz-src");
    Path archive = tmp.resolve("app.tar.gz");
    try (OutputStream raw = Files.newOutputStream(archive);
         OutputStream gz = new GzipCompressorOutputStream(raw);
         TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      for (String name : List.of("requirements.txt", ".python-version", "app.sh")) {
        byte[] data = Files.readAllBytes(app.resolve(name));
        TarArchiveEntry e = new TarArchiveEntry("./" + name);
        e.setSize(data.length);
        e.setMode(name.endsWith(".sh") ? 0755 : 0644);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
      }
    }
    Path catalogue = catalogue();
    var detect = s2i("detect", archive.toString(), "--builders", catalogue.toString());
    assertThat(detect.exitCode()).as(detect.all()).isZero();
    assertThat(detect.stdout()).contains("(archive)").contains("1. python 3.11");

    String out = outputImage("detect-tgz");
    var build = s2i("build", archive.toString(), "--detect", out, "--builders", catalogue.toString(), "-p", "never");
    assertThat(build.exitCode()).as(build.all()).isZero();
    assertThat(labels(out).get("io.openshift.s2i.build.source-location").asText()).isEqualTo(archive.toString());
    assertThat(Docker.runImage(out).stdout()).isEqualTo("hello from the flask app\n");
  }

  @Test
  void aJarFindsTheJavaBinaryBuilderByItsLabelsAndRunsOnItsJre() throws Exception {
    Path jar = helloJar(tmp.resolve("hello.jar"));
    var detect = s2i("detect", jar.toString(), "-o", "json");
    assertThat(detect.exitCode()).as(detect.all()).isZero();
    JsonNode d = JSON.readTree(detect.stdout());
    assertThat(d.get("input").asText()).isEqualTo("file");
    assertThat(d.get("languages").get(0).get("term").asText()).isEqualTo("java-binary:17");
    assertThat(d.get("builder").get("image").asText()).isEqualTo(JAVA_BUILDER);
    assertThat(d.get("builder").get("origin").asText()).isEqualTo("engine");
    assertThat(d.get("builder").get("others").toString()).as("the shipped catalogue's image lost")
        .contains("registry.access.redhat.com/ubi9/openjdk-17");

    String out = outputImage("detect-jar");
    var build = s2i("build", jar.toString(), "--detect", out);
    assertThat(build.exitCode()).as(build.all()).isZero();
    assertThat(build.stderr()).contains("---> Installing hello.jar as /opt/app-root/app.jar");
    assertThat(labels(out).get("io.s2i.detect.language").asText()).isEqualTo("java-binary");
    assertThat(labels(out).get("io.s2i.detect.builder").asText()).isEqualTo(JAVA_BUILDER);
    var run = Docker.run("run", "--rm", "--network", "none", "-e", "ARGS=one two", out);
    assertThat(run.stdout()).as(run.stderr()).isEqualTo("hello from a jar: [one, two]\n");
  }

  @Test
  void anExecutableFindsTheBinaryBuilderAndAsFileRenamesIt() throws Exception {
    Path exe = Files.copy(Path.of("/bin/echo"), tmp.resolve("greeter"));
    var detect = s2i("detect", exe.toString());
    assertThat(detect.exitCode()).as(detect.all()).isZero();
    assertThat(detect.stdout()).contains("1. binary  (greeter)").contains("Builder:   " + BINARY_BUILDER);

    String out = outputImage("detect-exe");
    var build = s2i("build", exe.toString(), "--detect", out, "-p", "never");
    assertThat(build.exitCode()).as(build.all()).isZero();
    var run = Docker.run("run", "--rm", "--network", "none", "-e", "ARGS=hello from ARGS", out);
    assertThat(run.stdout()).isEqualTo("hello from ARGS\n");

    String named = outputImage("asfile");
    var renamed = s2i("build", exe.toString(), BINARY_BUILDER, named, "-p", "never", "--as-file", "tool");
    assertThat(renamed.exitCode()).as(renamed.all()).isZero();
    assertThat(renamed.stderr()).contains("---> Installing tool as /opt/app-root/bin/binary");
  }

  @Test
  void nothingDetectedFailsNamingTheMarkersAndHowToNameABuilder() throws Exception {
    Path app = writeApp("plain", "README.md", "just text\n");
    var build = s2i("build", app.toString(), "--detect", outputImage("none"));
    assertThat(build.exitCode()).as(build.all()).isEqualTo(11);
    assertThat(build.stderr()).contains("ERROR: no language detected in " + app)
        .contains("requirements.txt, setup.py").contains("Fix: name a builder image: s2i build " + app + " <image> <tag>");
    var three = s2i("build", app.toString(), "--detect", SHELL_BUILDER, "out:1");
    assertThat(three.exitCode()).isEqualTo(2);
    assertThat(three.stderr()).contains("with --detect, give only <source> [<tag>]");
  }

  @Test
  void aHostileArchiveIsRefusedAndLeavesNothing() throws Exception {
    Path archive = tmp.resolve("evil.tar.gz");
    try (OutputStream raw = Files.newOutputStream(archive);
         OutputStream gz = new GzipCompressorOutputStream(raw);
         TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      byte[] data = "x\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("../../escaped.txt");
      e.setSize(data.length);
      tar.putArchiveEntry(e);
      tar.write(data);
      tar.closeArchiveEntry();
    }
    var build = s2i("build", archive.toString(), SHELL_BUILDER, outputImage("evil"), "-p", "never");
    assertThat(build.exitCode()).as(build.all()).isEqualTo(4);
    assertThat(build.stderr()).contains("ERROR: refused archive " + archive + ": entry ../../escaped.txt climbs out with ..");
    assertThat(Files.exists(tmp.getParent().resolve("escaped.txt"))).isFalse();
  }

  /** A jar compiled here for Java 17 whose main class prints its arguments. */
  private Path helloJar(Path jar) throws Exception {
    Path src = Files.createDirectories(tmp.resolve("jsrc/hello"));
    Files.writeString(src.resolve("Main.java"), "package hello;\npublic class Main {\n"
        + "  public static void main(String[] args) {\n"
        + "    System.out.println(\"hello from a jar: \" + java.util.Arrays.toString(args));\n  }\n}\n");
    Path classes = Files.createDirectories(tmp.resolve("jclasses"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(), src.resolve("Main.java").toString());
    assertThat(rc).as("javac").isZero();
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "hello.Main");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
      out.putNextEntry(new JarEntry("hello/Main.class"));
      out.write(Files.readAllBytes(classes.resolve("hello/Main.class")));
      out.closeEntry();
    }
    return jar;
  }
}
