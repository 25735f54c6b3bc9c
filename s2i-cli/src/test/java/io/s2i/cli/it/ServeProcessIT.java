package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.testing.db.PostgresCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code s2i serve} as a process, driven by the client commands as a user would, with the real
 * engine: apply (OpenShift YAML), start-build from a directory with --follow and --wait, builds,
 * describe, logs, cancel-build, bad input; and {@code kill -9} of the server mid-build, on the
 * embedded database and on PostgreSQL.
 */
class ServeProcessIT extends EngineTestBase {
  private Process server;
  private final Set<String> leftoversOfKilledServer = new HashSet<>();

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    env.put("XDG_DATA_HOME", tmp.resolve("share").toString());
    env.remove("S2I_SERVER");
    env.put("S2I_TOKEN", "");
    return env;
  }

  Process serve(String... extra) throws Exception {
    Path clientConfig = tmp.resolve("config/s2i/client.yaml");
    Files.deleteIfExists(clientConfig);
    String[] args = new String[extra.length + 3];
    args[0] = "serve";
    args[1] = "--port";
    args[2] = "0";
    System.arraycopy(extra, 0, args, 3, extra.length);
    Process p = S2iProcess.start(tmp, javaTmp, withEngine(env()), args);
    p.getInputStream().close();
    Path log = tmp.resolve("serve-" + System.nanoTime() + ".log");
    Thread drain = new Thread(() -> {
      try {
        Files.copy(p.getErrorStream(), log);
      } catch (IOException e) {
        // process gone
      }
    });
    drain.setDaemon(true);
    drain.start();
    for (int i = 0; i < 600 && !Files.exists(clientConfig); i++) {
      assertThat(p.isAlive()).as("serve exited: " + (Files.exists(log) ? Files.readString(log) : "")).isTrue();
      Thread.sleep(100);
    }
    assertThat(clientConfig).exists();
    server = p;
    return p;
  }

  S2iProcess.Result cli(String... args) {
    return s2i(env(), args);
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null && server.isAlive()) {
      server.destroy(); // SIGTERM: the server stops its builds and closes the database
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    // A killed server's build container keeps running: until the library labels what a build
    // makes (#14) and offers the clean-up, the test removes it (and the dead build's temp dir).
    for (String id : leftoversOfKilledServer) {
      Docker.run("rm", "-f", id);
    }
    try (Stream<Path> left = Files.list(javaTmp)) {
      for (Path p : left.filter(p -> p.getFileName().toString().startsWith("s2i")).toList()) {
        if (!leftoversOfKilledServer.isEmpty()) {
          Docker.run("run", "--rm", "-v", javaTmp + ":/t", "localhost/s2i-test/base:latest", "rm", "-rf", "/t/" + p.getFileName());
        }
      }
    }
  }

  Path appDir(String name, String... files) throws IOException {
    return writeApp(name, files);
  }

  @Test
  void clientCommandsAgainstARunningServer() throws Exception {
    serve("--max-builds", "2");
    Path config = tmp.resolve("config/s2i/client.yaml");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rw-------");
    String pushed = outputImage("serve-cli").replace("localhost/", "127.0.0.1:5000/");
    Files.writeString(tmp.resolve("bc.yaml"), """
        apiVersion: build.openshift.io/v1
        kind: BuildConfig
        metadata:
          name: web
          namespace: demo
        spec:
          runPolicy: Serial
          source:
            type: Binary
          strategy:
            type: Source
            sourceStrategy:
              from:
                kind: DockerImage
                name: localhost/s2i-test/builder:latest
              env:
              - name: GREETING
                value: hello
          output:
            to:
              kind: DockerImage
              name: %s
        """.formatted(pushed));
    S2iProcess.Result applied = cli("apply", "-f", "bc.yaml");
    assertThat(applied.exitCode()).as(applied.all()).isZero();
    assertThat(applied.stdout()).contains("buildconfig/web created");
    assertThat(cli("apply", "-f", "bc.yaml").stdout()).contains("buildconfig/web unchanged");

    Path app = appDir("web", "hello.txt", "hi there\n", "app.sh", "#!/bin/sh\necho \"$GREETING from web\"\n");
    S2iProcess.Result built = cli("start-build", "web", "--from-dir", app.toString(), "-e", "EXTRA=1", "--follow", "--wait");
    assertThat(built.exitCode()).as(built.all()).isZero();
    assertThat(built.stdout()).contains("build/web-1 started").contains("---> Installing application source")
        .contains("Pushed " + pushed);
    assertThat(Docker.run("run", "--rm", "--network", "none", pushed).stdout()).contains("hello from web");

    S2iProcess.Result builds = cli("builds", "web");
    assertThat(builds.stdout()).containsPattern("(?m)^NAME +FROM +STATUS +STARTED +DURATION +TRIGGER$")
        .containsPattern("(?m)^web-1 +Binary \\(dir\\) +Complete .*Manual$");
    S2iProcess.Result describe = cli("describe", "web-1");
    assertThat(describe.stdout()).contains("Status:         Complete").contains("Pushed digest:  sha256:")
        .containsPattern("(?m)^FetchInputs +").contains("Assemble").contains("PushImage");
    assertThat(cli("describe", "web").stdout()).contains("Builder:        localhost/s2i-test/builder:latest")
        .contains("Run policy:     Serial").containsPattern("(?m)^web-1 +Complete");
    S2iProcess.Result logs = cli("logs", "web", "--timestamps");
    assertThat(logs.stdout()).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\S+Z ---> Installing application source$");
    assertThat(cli("logs", "-f", "build/web-1").stdout()).isEqualTo(built.stdout()
        .substring(built.stdout().indexOf('\n') + 1));

    // a failing assemble: --wait exits as s2i build would (6)
    Path failing = appDir("failing", "fail-with", "1\n");
    S2iProcess.Result failed = cli("start-build", "web", "--from-dir", failing.toString(), "--wait");
    assertThat(failed.exitCode()).as(failed.all()).isEqualTo(6);
    assertThat(failed.stderr()).contains("build/web-2 Failed (AssembleFailed)");

    // a local repository's committed content at a chosen commit, and an archive
    Path repo = appDir("repo", "hello.txt", "v1\n", "app.sh", "#!/bin/sh\ncat hello.txt\n");
    String first;
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(repo.toFile()).call()) {
      git.add().addFilepattern(".").call();
      first = git.commit().setMessage("v1").setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
          .setSign(false).call().name();
      Files.writeString(repo.resolve("hello.txt"), "v2\n");
      git.commit().setAll(true).setMessage("v2").setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
          .setSign(false).call();
    }
    Files.writeString(repo.resolve("hello.txt"), "uncommitted\n");
    S2iProcess.Result fromRepo = cli("start-build", "web", "--from-repo", repo.toString(), "--commit", first, "--wait");
    assertThat(fromRepo.exitCode()).as(fromRepo.all()).isZero();
    assertThat(cli("describe", "web-3").stdout()).contains("Commit:         " + first).contains("Binary input:   repo");
    assertThat(Docker.run("run", "--rm", "--network", "none", pushed).stdout().strip()).isEqualTo("v1");
    Path archive = tmp.resolve("app.tar.gz");
    Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", app.toString(), ".").start();
    assertThat(tar.waitFor()).isZero();
    S2iProcess.Result fromArchive = cli("start-build", "web", "--from-archive", archive.toString(), "--wait");
    assertThat(fromArchive.exitCode()).as(fromArchive.all()).isZero();
    assertThat(Docker.run("run", "--rm", "--network", "none", pushed).stdout()).contains("hello from web");

    // bad input: one line, exit 2
    Files.writeString(tmp.resolve("bad.yaml"), Files.readString(tmp.resolve("bc.yaml"))
        .replace("  runPolicy: Serial", "  runPolicy: Serial\n  madeUp: 1"));
    S2iProcess.Result bad = cli("apply", "-f", "bad.yaml");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr().strip()).startsWith("ERROR: spec.madeUp is not supported by s2i serve").doesNotContain("\n");
    S2iProcess.Result missing = cli("cancel-build", "web-9");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains("ERROR: build \"web-9\" not found (HTTP 404)");
    S2iProcess.Result both = cli("start-build", "web", "--from-dir", ".", "--from-file", "bc.yaml");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.stderr()).contains("mutually exclusive");
    Map<String, String> wrongToken = env();
    wrongToken.put("S2I_TOKEN", "s2i_wrong");
    S2iProcess.Result refused = s2i(wrongToken, "builds");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.stderr()).contains("the server refused the token");
    S2iProcess.Result remote = cli("serve", "--address", "0.0.0.0", "--port", "0", "--data-dir", tmp.resolve("other").toString());
    assertThat(remote.exitCode()).isEqualTo(2);
    assertThat(remote.stderr()).contains("ERROR: --address 0.0.0.0 is not a loopback address").contains("--allow-remote");
    Docker.removeImage(pushed);
    removeImagesReplacedByThisTest();
  }

  /** Each build of web replaced the tag of the one before; those images are this test's to remove. */
  void removeImagesReplacedByThisTest() {
    for (String id : Docker.run("images", "-q", "--no-trunc", "-f", "dangling=true").stdout().split("\\s+")) {
      if (id.isBlank()) {
        continue;
      }
      String location = Docker.run("image", "inspect", "-f",
          "{{index .Config.Labels \"io.openshift.s2i.build.source-location\"}}", id).stdout().strip();
      if (location.startsWith(tmp.toString())) {
        Docker.run("rmi", id);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "postgresql"})
  void killMinus9DuringABuildKeepsEverythingAndMarksItError(String database) throws Exception {
    PostgresCluster pg = database.equals("postgresql") ? PostgresCluster.start() : null;
    try {
      String[] db = pg == null ? new String[0] : new String[] {"--database", pg.jdbcUrl()};
      serve(db);
      String image = outputImage("serve-kill");
      Files.writeString(tmp.resolve("app.yaml"), """
          name: app
          source: {type: Binary}
          strategy:
            builderImage: localhost/s2i-test/builder:latest
            pullPolicy: Never
          output: {image: %s}
          """.formatted(image));
      assertThat(cli("apply", "-f", "app.yaml").exitCode()).isZero();
      Path quick = appDir("quick", "hello.txt", "hi\n");
      assertThat(cli("start-build", "app", "--from-dir", quick.toString(), "--wait").exitCode()).isZero();
      Path slow = appDir("slow", "hello.txt", "hi\n", ".s2i/bin/assemble",
          "#!/bin/sh\nfor i in $(seq 1 300); do echo \"step $i\"; sleep 0.2; done\n");
      Set<String> containersBefore = new HashSet<>(Docker.containerIds());
      assertThat(cli("start-build", "app", "--from-dir", slow.toString()).stdout()).contains("build/app-2 started");
      for (int i = 0; i < 300 && !cli("logs", "app-2").stdout().contains("step 3"); i++) {
        Thread.sleep(200);
      }
      server.destroyForcibly(); // SIGKILL
      server.waitFor(30, TimeUnit.SECONDS);
      leftoversOfKilledServer.addAll(Docker.containerIds());
      leftoversOfKilledServer.removeAll(containersBefore);

      serve(db);
      S2iProcess.Result builds = cli("builds", "app");
      assertThat(builds.stdout()).containsPattern("(?m)^app-2 +Binary \\(dir\\) +Error \\(BuildInterrupted\\)")
          .containsPattern("(?m)^app-1 +Binary \\(dir\\) +Complete");
      String log = cli("logs", "app-2").stdout();
      assertThat(log).contains("step 1\nstep 2\nstep 3").contains("stopped before it ended; marked Error");
      assertThat(cli("logs", "app-1").stdout()).contains("---> Installing application source");
      assertThat(cli("describe", "app").stdout()).contains("Builder:        localhost/s2i-test/builder:latest");
      try (Stream<Path> uploads = Files.list(tmp.resolve("share/s2i-java/serve/uploads"))) {
        assertThat(uploads.toList()).as("uploads of the interrupted build").isEmpty();
      }
      // the queue still works after the restart
      assertThat(cli("start-build", "app", "--from-dir", quick.toString(), "--wait").exitCode()).isZero();
    } finally {
      if (server != null && server.isAlive()) {
        server.destroy();
        server.waitFor(60, TimeUnit.SECONDS);
      }
      if (pg != null) {
        pg.close();
      }
    }
  }
}
