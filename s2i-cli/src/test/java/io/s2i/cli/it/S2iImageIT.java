package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * s2i's own container image (scripts/build-s2i-image.sh, no Dockerfile build) under
 * {@code docker run} with the least privilege it needs ({@link #LEAST_PRIVILEGE}), a read-only root
 * file system (scratch on tmpfs), the host's network for loopback and no socket mounted: it builds
 * a Git source served by {@code git daemon} on 127.0.0.1 with a builder from the loopback registry
 * and pushes the result there; and, as OpenShift's builder image, runs the build an OpenShift
 * {@code Build} object in {@code BUILD} describes. The results are pulled back and run by the
 * Docker engine, as a user would.
 */
class S2iImageIT extends EngineTestBase {
  static final String IMAGE = "localhost/s2i-java/s2i:latest";
  /** What the image needs beyond Docker's defaults: mounts (overlayfs, tmpfs, proc) and namespaces. */
  static final List<String> LEAST_PRIVILEGE = List.of("--cap-add", "SYS_ADMIN");
  /** A root file system nothing can change; scratch space (java.io.tmpdir, runtime state, the layer cache) on tmpfs. */
  static final List<String> READ_ONLY = List.of("--read-only", "--tmpfs", "/tmp:exec", "--tmpfs", "/run",
      "--tmpfs", "/var/cache/s2i:exec");
  static final String BUILDER = REGISTRY_FIXTURE + "builder:latest";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path repos;
  static Process gitDaemon;
  static String gitUrl;
  private final List<String> pushed = new ArrayList<>();

  @BeforeAll
  static void buildImageAndServeARepository() throws Exception {
    Process build = new ProcessBuilder("bash", S2iProcess.REPO.resolve("scripts/build-s2i-image.sh").toString())
        .redirectErrorStream(true).start();
    String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(build.waitFor()).as("scripts/build-s2i-image.sh: " + out).isZero();

    Path work = Files.createDirectories(repos.resolve("work"));
    Files.walk(APPS.resolve("plain")).forEach(p -> copy(p, work.resolve(APPS.resolve("plain").relativize(p).toString())));
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setAuthor(GitSourceIT.ALICE).setCommitter(GitSourceIT.ALICE).setMessage("app").call();
    }
    Git.cloneRepository().setURI(work.toUri().toString()).setDirectory(repos.resolve("app.git").toFile())
        .setBare(true).call().close();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    gitDaemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--base-path=" + repos,
        "--listen=127.0.0.1", "--port=" + port).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    gitUrl = "git://127.0.0.1:" + port + "/app.git";
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("git daemon did not listen on " + port);
  }

  @AfterAll
  static void stopGitDaemon() throws InterruptedException {
    if (gitDaemon != null) {
      gitDaemon.destroy();
      gitDaemon.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void copy(Path from, Path to) {
    try {
      if (Files.isDirectory(from)) {
        Files.createDirectories(to);
      } else {
        Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code docker run --rm --network host} of s2i's image with {@code flags}, then {@code args}. */
  private static Docker.Result run(List<String> flags, String... args) {
    List<String> cmd = new ArrayList<>(List.of("run", "--rm", "--network", "host"));
    cmd.addAll(flags);
    cmd.add(IMAGE);
    cmd.addAll(List.of(args));
    return Docker.run(cmd.toArray(String[]::new));
  }

  private String pushTarget(String name) {
    String ref = "127.0.0.1:5000/it/" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
    pushed.add(ref);
    return ref;
  }

  /** The pushed image, pulled into the Docker engine and run with its own command. */
  private String pullAndRun(String ref) {
    Docker.Result pull = Docker.run("pull", "-q", ref);
    assertThat(pull.exitCode()).as(pull.stderr()).isZero();
    return Docker.runImage(ref).stdout();
  }

  /** Removes the pushed images from the Docker engine and their manifests from the loopback registry. */
  @org.junit.jupiter.api.AfterEach
  void removePushed() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String ref : pushed) {
      Docker.removeImage(ref);
      String repo = ref.substring("127.0.0.1:5000/".length(), ref.lastIndexOf(':'));
      String manifest = "http://127.0.0.1:5000/v2/" + repo + "/manifests/" + ref.substring(ref.lastIndexOf(':') + 1);
      var head = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(manifest))
          .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
          .header("Accept", "application/vnd.oci.image.manifest.v1+json")
          .header("Accept", "application/vnd.docker.distribution.manifest.v2+json").build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
      var digest = head.headers().firstValue("Docker-Content-Digest");
      if (head.statusCode() == 200 && digest.isPresent()) {
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            "http://127.0.0.1:5000/v2/" + repo + "/manifests/" + digest.get())).DELETE().build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
      }
    }
  }

  @Test
  void aGitSourceIsBuiltAndPushedWithNoDaemonReadOnlyAndOnlySysAdmin() throws Exception {
    String target = pushTarget("s2i-image");
    List<String> flags = new ArrayList<>(READ_ONLY);
    flags.addAll(LEAST_PRIVILEGE);
    // The build container shares s2i's network (--network host of s2i build): a network namespace
    // of its own would need NET_ADMIN as well, for its loopback.
    Docker.Result r = run(flags, "build", gitUrl, BUILDER, target, "--push", "--network", "host");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout().strip()).startsWith("sha256:");
    assertThat(r.stderr()).contains("Build completed successfully")
        .doesNotContain("WARN").doesNotContain("Exception");
    assertThat(pullAndRun(target)).isEqualTo("hello from plain app\n");

    // Without CAP_SYS_ADMIN nothing can be mounted: one line saying so, exit 7.
    Docker.Result denied = run(READ_ONLY, "build", gitUrl, BUILDER, pushTarget("denied"), "--push",
        "--network", "host");
    assertThat(denied.exitCode()).as(denied.stderr()).isEqualTo(7);
    assertThat(denied.stderr().lines().filter(l -> l.startsWith("ERROR:")).toList()).singleElement().asString()
        .contains("CAP_SYS_ADMIN");
  }

  @Test
  void anOpenShiftBuildObjectInBuildRunsAsOpenShiftsBuilderImageDoes() throws Exception {
    String target = pushTarget("openshift");
    String build = """
        {"kind":"Build","apiVersion":"build.openshift.io/v1","metadata":{"name":"app-1","namespace":"it"},
         "spec":{"source":{"type":"Git","git":{"uri":"%s","ref":"main"}},
           "strategy":{"type":"Source","sourceStrategy":{"from":{"kind":"DockerImage","name":"%s"},
             "env":[{"name":"GREETING","value":"hello from the Build"}]}},
           "output":{"to":{"kind":"DockerImage","name":"%s"},"imageLabels":[{"name":"it.label","value":"yes"}]}}}
        """.formatted(gitUrl, BUILDER, target);
    List<String> flags = new ArrayList<>(READ_ONLY);
    flags.addAll(LEAST_PRIVILEGE);
    flags.addAll(List.of("-e", "BUILD=" + build));
    Docker.Result r = run(flags);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).contains("Running OpenShift build it/app-1").contains("Build completed successfully");
    assertThat(pullAndRun(target)).isEqualTo("hello from plain app\n");
    JsonNode config = Docker.inspectImage(target).get("Config");
    assertThat(config.get("Env").toString()).contains("GREETING=hello from the Build");
    assertThat(config.get("Labels").get("it.label").asText()).isEqualTo("yes");
    assertThat(config.get("Labels").get("io.openshift.s2i.build.source-location").asText()).isEqualTo(gitUrl);

    Docker.Result bad = run(List.of("-e", "BUILD={\"spec\":{\"source\":{\"type\":\"Binary\"}}}"));
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr().strip().lines().toList()).singleElement().asString()
        .contains("spec.source.type Binary").contains("Fix:");
  }
}
