package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.testing.kube.DockerKubelet;
import io.s2i.testing.kube.MockCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code s2i serve --executor kubernetes} end to end, as far as one machine without a cluster can
 * go: the server's API traffic goes to fabric8's mock API server (CRUD mode) with a Job controller,
 * and each Job's pod is run as its spec says by {@link DockerKubelet} in the local Docker engine
 * (image, args, env from the ConfigMap and Secrets, their files mounted, emptyDirs, security
 * context, {@code --network host} for the loopback registry and server). A binary build started
 * with {@code s2i start-build --from-dir --follow --wait} fetches its upload in the pod with its
 * one-time token, builds it with s2i's image on its daemonless engine, pushes it to
 * 127.0.0.1:5000 with the credentials of the push Secret, and the result runs; a failing assemble
 * comes back as {@code Failed (AssembleFailed)} from the pod's exit status, and an assemble going
 * past the pod's memory limit as {@code Error (OutOfMemoryKilled)} from the container's OOM kill.
 *
 * <p>The image is s2i's own ({@code -Ds2i.kube.image}, default {@code localhost/s2i-java/s2i:latest},
 * made by {@code scripts/build-s2i-image.sh} when the checkout has it). An image whose CLI has no
 * {@code fetch-input} yet (made from a branch without this one) gets this checkout's CLI layered
 * in for that command only: a stand-in, said so in the test's output.
 */
class KubernetesPodIT extends EngineTestBase {
  static final String REGISTRY = "127.0.0.1:5000";
  static final String BUILDER = REGISTRY + "/s2i-test/builder:latest";
  private MockCluster cluster;
  private Process server;
  private String standIn;

  @AfterEach
  void stop() throws Exception {
    if (server != null && server.isAlive()) {
      server.destroy();
      server.waitFor(60, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
    if (standIn != null) {
      Docker.run("rmi", standIn);
    }
  }

  /** s2i's image as the test runs it. */
  String image() throws IOException {
    Path script = S2iProcess.REPO.resolve("scripts/build-s2i-image.sh");
    if (Files.isRegularFile(script)) {
      Process p = new ProcessBuilder("bash", script.toString()).inheritIO().start();
      try {
        assertThat(p.waitFor(900, TimeUnit.SECONDS) && p.exitValue() == 0).as("scripts/build-s2i-image.sh").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    String image = System.getProperty("s2i.kube.image", "localhost/s2i-java/s2i:latest");
    if (!Docker.imageExists(image)) {
      String why = "s2i's image " + image + " is not in the engine: build it with scripts/build-s2i-image.sh"
          + " (or give one with -Ds2i.kube.image)";
      if (Boolean.getBoolean("s2i.it.required")) {
        Assertions.fail(why);
      }
      Assumptions.abort(why);
    }
    Docker.Result probe = Docker.run("run", "--rm", "--network", "none", image, "fetch-input", "--help");
    if (probe.exitCode() == 0 && probe.stdout().contains("Usage: s2i fetch-input")) {
      return image;
    }
    // A stand-in: the image's runtime with this checkout's CLI for fetch-input only.
    Path ctx = Files.createDirectories(tmp.resolve("standin"));
    Path target = S2iProcess.REPO.resolve("s2i-cli/target");
    copyTree(target.resolve("lib"), ctx.resolve("lib"));
    Files.copy(target.resolve("s2i.jar"), ctx.resolve("s2i.jar"));
    Files.writeString(ctx.resolve("kube-standin"), """
        #!/bin/sh
        # Test stand-in: this checkout's CLI runs fetch-input; everything else is the image's own.
        if [ "${1:-}" = "fetch-input" ]; then
          exec /opt/s2i/jre/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar /opt/s2i-kube/s2i.jar "$@"
        fi
        exec /opt/s2i/bin/entrypoint "$@"
        """);
    ctx.resolve("kube-standin").toFile().setExecutable(true, false);
    Files.writeString(ctx.resolve("Dockerfile"), """
        FROM %s
        COPY s2i.jar /opt/s2i-kube/s2i.jar
        COPY lib /opt/s2i-kube/lib
        COPY kube-standin /opt/s2i/bin/kube-standin
        ENTRYPOINT ["/usr/bin/tini", "--", "/opt/s2i/bin/kube-standin"]
        """.formatted(image));
    standIn = "localhost/s2i-kube-it/s2i-standin-" + UUID.randomUUID().toString().substring(0, 8) + ":latest";
    ProcessBuilder build = new ProcessBuilder("docker", "build", "-q", "--network", "none", "-t", standIn, ctx.toString());
    build.environment().put("DOCKER_BUILDKIT", "0");
    Process p = build.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    try {
      assertThat(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0).as("docker build of the stand-in: " + out).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    System.err.println("KubernetesPodIT: " + image + " has no fetch-input; running " + standIn
        + " (that image with this checkout's CLI for fetch-input) as s2i's image");
    return standIn;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }

  /** The fixture builder in the loopback registry (the daemonless engine pulls it from there). */
  static void builderInRegistry() throws Exception {
    java.net.http.HttpResponse<Void> head = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + REGISTRY + "/v2/s2i-test/builder/manifests/latest"))
            .header("Accept", "application/vnd.docker.distribution.manifest.v2+json").method("HEAD",
                java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
    if (head.statusCode() == 200) {
      return;
    }
    assertThat(Docker.run("tag", FIXTURE + "builder:latest", BUILDER).exitCode()).isZero();
    try {
      assertThat(Docker.run("push", BUILDER).exitCode()).isZero();
    } finally {
      Docker.run("rmi", BUILDER);
    }
  }

  Map<String, String> env(Path kubeconfig) {
    Map<String, String> env = new HashMap<>();
    env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    env.put("XDG_DATA_HOME", tmp.resolve("share").toString());
    env.put("KUBECONFIG", kubeconfig.toString());
    env.remove("S2I_SERVER");
    env.put("S2I_TOKEN", "");
    return env;
  }

  @Test
  void aBinaryBuildRunsAsAJobPodWithS2isImageAndPushesToTheLoopbackRegistry() throws Exception {
    String image = image();
    builderInRegistry();
    DockerKubelet kubelet = new DockerKubelet(Files.createDirectories(tmp.resolve("kubelet")));
    cluster = MockCluster.start(kubelet);
    Path kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig"), "builds");
    Path settings = Files.writeString(tmp.resolve("kube.yaml"), """
        imagePullPolicy: Never
        pollMillis: 300
        activeDeadlineSeconds: 600
        resources:
          limits: {memory: 2Gi}
        """);
    Map<String, String> env = env(kubeconfig);
    Path log = tmp.resolve("serve.log");
    ServerProcess serve = ServerProcess.start(tmp, javaTmp, env, log, "--port", "0", "--data-dir",
        tmp.resolve("data").toString(), "--executor", "kubernetes",
        "--kubernetes-config", settings.toString(), "--kubernetes-image", image);
    server = serve.process();
    assertThat(Files.readString(log)).contains("Jobs in namespace builds with " + image);

    String pushed = REGISTRY + "/s2i-kube-it/app-" + UUID.randomUUID().toString().substring(0, 8) + ":latest";
    Files.writeString(tmp.resolve("app.yaml"), """
        name: app
        source: {type: Binary}
        strategy:
          builderImage: %s
          env:
          - {name: GREETING, value: hello}
        output:
          image: %s
          push: true
          credentials: {username: pusher, password: not-checked-by-the-loopback-registry}
        """.formatted(BUILDER, pushed));
    S2iProcess.Result applied = S2iProcess.run(tmp, javaTmp, env, "apply", "-f", "app.yaml");
    assertThat(applied.exitCode()).as(applied.all()).isZero();
    Path app = writeApp("kube", "hello.txt", "hi\n", "app.sh", "#!/bin/sh\necho \"$GREETING from a Kubernetes build\"\n");
    S2iProcess.Result built = S2iProcess.run(tmp, javaTmp, env, "start-build", "app", "--from-dir", app.toString(),
        "--follow", "--wait");
    assertThat(built.exitCode()).as(built.all() + Files.readString(log)).isZero();
    assertThat(built.stdout()).contains("Running the build as Job builds/s2i-app-1 (" + image + ")")
        .contains("Received the dir input").contains("---> Installing application source")
        .contains("Successfully built " + pushed);
    S2iProcess.Result described = S2iProcess.run(tmp, javaTmp, env, "describe", "app-1");
    assertThat(described.stdout()).contains("Status:         Complete").contains("Pushed digest:  sha256:");
    Docker.Result ran = Docker.run("run", "--rm", "--network", "none", "--pull", "always", pushed);
    try {
      assertThat(ran.stdout()).as(ran.stderr()).contains("hello from a Kubernetes build");
    } finally {
      Docker.run("rmi", pushed);
    }

    // The pod ran as its spec says.
    List<String> fetch = kubelet.commands().get(0);
    List<String> sti = kubelet.commands().get(1);
    assertThat(String.join(" ", fetch)).contains("--network host").contains("--cap-drop ALL").contains("--read-only")
        .contains("--security-opt no-new-privileges").contains(":/tmp/build ").contains(":/var/run/secrets/s2i.io/input:ro")
        .contains(image + " fetch-input --from http://127.0.0.1:");
    assertThat(String.join(" ", sti)).contains("--user 0 --cap-add SYS_ADMIN --read-only").doesNotContain("--privileged")
        .contains(":/tmp ").contains(":/run ").contains("-e BUILD={\"kind\":\"Build\"")
        .contains("-e PUSH_DOCKERCFG_PATH=/var/run/secrets/openshift.io/push")
        .contains(":/var/run/secrets/openshift.io/push:ro").contains("--memory 2147483648").endsWith(image + " openshift-build");

    // A failing assemble: the pod's exit status is the build's reason.
    Path failing = writeApp("kube-fails", "hello.txt", "hi\n", ".s2i/bin/assemble", "#!/bin/sh\necho about to fail\nexit 1\n");
    S2iProcess.Result failed = S2iProcess.run(tmp, javaTmp, env, "start-build", "app", "--from-dir", failing.toString(),
        "--wait");
    assertThat(failed.exitCode()).as(failed.all()).isEqualTo(6);
    assertThat(failed.stderr()).contains("build/app-2 Failed (AssembleFailed)");
    assertThat(S2iProcess.run(tmp, javaTmp, env, "logs", "app-2").stdout()).contains("about to fail");

    // An assemble that goes past the pod's memory limit (2Gi): the engine sees the container
    // OOM-killed, as the kubelet would, and the build is Error (OutOfMemoryKilled).
    Path hungry = writeApp("kube-oom", "hello.txt", "hi\n", ".s2i/bin/assemble",
        "#!/bin/sh\necho about to use 3 GiB\nhead -c 3072m /dev/zero | tail -n 1 >/dev/null\necho still here\nexit 1\n");
    S2iProcess.Result oom = S2iProcess.run(tmp, javaTmp, env, "start-build", "app", "--from-dir", hungry.toString(),
        "--wait");
    assertThat(oom.exitCode()).as(oom.all()).isNotZero();
    assertThat(oom.stderr()).contains("build/app-3 Error (OutOfMemoryKilled)");
    assertThat(S2iProcess.run(tmp, javaTmp, env, "describe", "app-3").stdout())
        .contains("ran out of memory (its memory limit) and was killed");
  }
}
