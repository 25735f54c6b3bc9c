package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream's local-source scenarios (spec §15) through the real CLI on the real engine. */
class BuildIT extends EngineTestBase {

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  @Test
  void plainBuilderBuildsAndCommitsUpstreamsImageConfig() {
    String out = outputImage("plain");
    var r = s2i("build", app("plain"), fixture("builder"), out, "--pull-policy", "never");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("---> Installing application source").contains("Build completed successfully");
    assertThat(r.stdout()).isEmpty();
    JsonNode config = inspectImage(out).get("Config");
    assertThat(strings(config.get("Cmd"))).containsExactly("/usr/libexec/s2i/run");
    assertThat(strings(config.get("Entrypoint"))).isEmpty();
    assertThat(config.get("User").asText()).isEqualTo("1001");
    assertThat(config.get("WorkingDir").asText()).isEqualTo("/opt/app-root/src");
    assertThat(strings(config.get("Env"))).anyMatch(e -> e.startsWith("PATH=")).anyMatch(e -> e.startsWith("HOME="));
    JsonNode labels = config.get("Labels");
    assertThat(labels.get("io.k8s.description").asText()).isEqualTo("test builder");
    assertThat(labels.get("io.k8s.display-name").asText()).isEqualTo(out);
    assertThat(labels.get("io.openshift.s2i.build.image").asText()).isEqualTo(fixture("builder:latest"));
    assertThat(labels.get("io.openshift.s2i.build.source-location").asText()).isEqualTo(app("plain"));
    assertThat(labels.get("io.openshift.s2i.scripts-url").asText()).isEqualTo("image:///usr/libexec/s2i");
    assertThat(runImage(out).stdout()).isEqualTo("hello from plain app\n");
    var files = sh(out, "cat assemble-uid; cat sub/file.txt >/dev/null && echo sub-ok; ls -A /tmp | wc -l");
    assertThat(files.stdout()).as("the unpacked inputs are not in the image").isEqualTo("1001\nsub-ok\n0\n");
  }

  @Test
  void keepInputsLeavesSourcesAndScriptsInTheImageAsUpstream() {
    String out = outputImage("keepinputs");
    var r = s2i("build", app("plain"), fixture("builder"), out, "--pull-policy", "never", "--keep-inputs");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(sh(out, "stat -c %u /tmp/src/hello.txt; ls -d /tmp/scripts").stdout()).isEqualTo("1001\n/tmp/scripts\n");
  }

  @Test
  void anUnchangedBuildReusesTheImageAndNoCacheBuildsAgain() throws Exception {
    Path src = writeApp("reuse", "hello.txt", "v1\n");
    String out = outputImage("reuse");
    assertThat(s2i("build", src.toString(), fixture("builder"), out, "-p", "never").exitCode()).isZero();
    String first = inspectImage(out).get("Id").asText();
    var again = s2i("build", src.toString(), fixture("builder"), out, "-p", "never");
    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(again.stderr()).contains("is up to date").doesNotContain("Installing application source");
    assertThat(inspectImage(out).get("Id").asText()).isEqualTo(first);

    var forced = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--no-cache");
    assertThat(forced.stderr()).contains("Installing application source");
    String second = inspectImage(out).get("Id").asText();
    assertThat(second).isNotEqualTo(first);
    Docker.removeImage(first);

    Files.writeString(src.resolve("hello.txt"), "v2\n");
    var changed = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "-e", "X=1");
    assertThat(changed.stderr()).doesNotContain("is up to date");
    assertThat(runImage(out).stdout()).isEqualTo("v2\n");
    Docker.removeImage(second);
  }

  @Test
  void aFileRewrittenWithSameSizeAndTimeIsStillSeenAsChanged() throws Exception {
    Path src = writeApp("stamp", "hello.txt", "v1\n");
    java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(
        java.time.Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(src.resolve("hello.txt"), old);
    Thread.sleep(2100); // past the window in which a file's digest is not remembered
    String out = outputImage("stamp");
    assertThat(s2i("build", src.toString(), fixture("builder"), out, "-p", "never").exitCode()).isZero();
    String first = inspectImage(out).get("Id").asText();
    assertThat(s2i("build", src.toString(), fixture("builder"), out, "-p", "never").stderr()).contains("is up to date");

    Files.writeString(src.resolve("hello.txt"), "v3\n"); // same size; the time is put back
    Files.setLastModifiedTime(src.resolve("hello.txt"), old);
    var changed = s2i("build", src.toString(), fixture("builder"), out, "-p", "never");
    assertThat(changed.exitCode()).as(changed.all()).isZero();
    assertThat(changed.stderr()).doesNotContain("is up to date");
    assertThat(runImage(out).stdout()).isEqualTo("v3\n");
    Docker.removeImage(first);
  }

  @Test
  void anUnchangedRebuildSeesItsSourceScriptsButNotExcludedFiles() throws Exception {
    Path src = writeApp("reuse-scripts", "hello.txt", "v1\n", "logs/today", "started\n",
        ".s2i/bin/assemble", "#!/bin/sh\necho '---> assemble one'\ncp -Rf /tmp/src/. ./\n");
    String out = outputImage("reusescripts");
    String exclude = "(^|/)logs(/|$)";
    var built = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--exclude", exclude);
    assertThat(built.exitCode()).as(built.all()).isZero();
    String first = inspectImage(out).get("Id").asText();

    // Left out by --exclude: no reason to build again.
    Files.writeString(src.resolve("logs/today"), "started again\n");
    var same = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--exclude", exclude);
    assertThat(same.stderr()).as(same.all()).contains("is up to date");

    // The script is taken out of the sources, yet it is an input.
    Files.writeString(src.resolve(".s2i/bin/assemble"), "#!/bin/sh\necho '---> assemble two'\ncp -Rf /tmp/src/. ./\n");
    var changed = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--exclude", exclude);
    assertThat(changed.exitCode()).as(changed.all()).isZero();
    assertThat(changed.stderr()).doesNotContain("is up to date").contains("---> assemble two");
    assertThat(runImage(out).stdout()).isEqualTo("v1\n");
    Docker.removeImage(first);
  }

  @Test
  void loglevelFiveShowsTheEnginesOwnDiagnostics() {
    var quiet = s2i("build", app("plain"), fixture("builder"), outputImage("diag0"), "-p", "never", "--loglevel", "4");
    assertThat(quiet.exitCode()).as(quiet.all()).isZero();
    assertThat(quiet.stderr()).doesNotContain("DEBUG io.s2i.engine");
    // Nor the logging library's notes about itself, at any level.
    assertThat(quiet.stderr()).doesNotContain("SLF4J");
    var verbose = s2i("build", app("plain"), fixture("builder"), outputImage("diag5"), "-p", "never", "--loglevel", "5");
    assertThat(verbose.exitCode()).as(verbose.all()).isZero();
    assertThat(verbose.stderr()).contains("DEBUG io.s2i.engine").doesNotContain("SLF4J");
  }

  @Test
  void untaggedBuildGivesAnImageWithoutDisplayName() {
    var r = s2i("build", app("plain"), fixture("builder"), "--pull-policy", "never", "--loglevel", "1");
    assertThat(r.exitCode()).as(r.all()).isZero();
    String id = r.stderr().lines().filter(l -> l.startsWith("Image sha256:")).findFirst().orElseThrow().substring(6);
    try {
      JsonNode labels = inspectImage(id).get("Config").get("Labels");
      assertThat(labels.has("io.k8s.display-name")).isFalse();
      assertThat(labels.get("io.openshift.s2i.build.image").asText()).isEqualTo(fixture("builder:latest"));
    } finally {
      Docker.removeImage(id);
    }
  }

  @Test
  void sourceScriptsAreUsedMadeExecutableAndMovedOutOfTheSources() {
    String out = outputImage("srcscripts");
    var r = s2i("build", app("with-s2i"), fixture("builder"), out, "-p", "never", "--keep-inputs");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("---> assemble from source .s2i/bin");
    JsonNode config = inspectImage(out).get("Config");
    assertThat(strings(config.get("Cmd"))).containsExactly("/tmp/scripts/run");
    var files = sh(out, "test -f assemble-from-source && echo from-source; stat -c %a /tmp/scripts/assemble /tmp/scripts/run; ls -A /tmp/src/.s2i/bin | wc -l");
    assertThat(files.stdout()).isEqualTo("from-source\n755\n755\n0\n");
    assertThat(runImage(out).stdout()).startsWith("hello");
  }

  @Test
  void environmentFromSourceFlagsAndFileInUpstreamOrder() throws Exception {
    String out = outputImage("env");
    Path envFile = tmp.resolve("build.env");
    Files.writeString(envFile, "# comment\nFROMFILE = one\n// also a comment\nSHARED=fromfile\n");
    var r = s2i("build", app("with-s2i"), fixture("builder"), out, "-p", "never",
        "-e", "SHARED=fromflag", "-e", "X=a,b=c", "-E", envFile.toString());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("DEPRECATED: Use multiple -e flags");
    List<String> env = strings(inspectImage(out).get("Config").get("Env"));
    assertThat(env).containsSubsequence("FOO=from_s2i_env", "BAR=spaced", "SHARED=s2ienv", "SHARED=fromflag", "X=a,b=c", "FROMFILE=one", "SHARED=fromfile");
    assertThat(env).noneMatch(e -> e.startsWith("BADLINE"));
    String seen = sh(out, "cat assemble-env").stdout();
    assertThat(seen).contains("FOO=from_s2i_env\n").contains("SHARED=fromfile\n").contains("X=a,b=c\n");
  }

  @Test
  void fileAndHttpScriptsUrls() throws Exception {
    Path scripts = S2iProcess.REPO.resolve("fixtures/scripts/.s2i/bin");
    String out = outputImage("fileurl");
    var r = s2i("build", app("plain"), fixture("noscripts"), out, "-p", "never", "--scripts-url", "file://" + scripts);
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(strings(inspectImage(out).get("Config").get("Cmd"))).containsExactly("/tmp/scripts/run");
    assertThat(sh(out, "test -f assemble-from-url && echo yes").stdout()).isEqualTo("yes\n");

    try (ScriptServer server = ScriptServer.serve(scripts)) {
      String out2 = outputImage("httpurl");
      var r2 = s2i("build", app("plain"), fixture("noscripts"), out2, "-p", "never", "--scripts-url", server.url());
      assertThat(r2.exitCode()).as(r2.all()).isZero();
      assertThat(server.requested()).contains("/assemble", "/run");
      assertThat(runImage(out2).stdout()).isEqualTo("hello from plain app\n");
    }
  }

  @Test
  void missingScriptsNameEveryPlaceSearched() {
    var r = s2i("build", app("plain"), fixture("noscripts"), outputImage("noscripts"), "-p", "never");
    assertThat(r.exitCode()).isEqualTo(5);
    assertThat(r.stderr()).contains("failed to install [assemble run]").contains(".s2i/bin").contains("scripts-url");
  }

  @Test
  void assembleUserLabelRunsAssembleAsThatUserButKeepsImageUser() {
    String out = outputImage("asmuser");
    var r = s2i("build", app("plain"), fixture("asmuser"), out, "-p", "never", "--allowed-uids", "1000-2000");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(sh(out, "cat assemble-uid").stdout()).isEqualTo("1234\n");
    assertThat(inspectImage(out).get("Config").get("User").asText()).isEqualTo("1001");
  }

  @Test
  void assembleUserFlagWins() {
    String out = outputImage("asmflag");
    var r = s2i("build", app("plain"), fixture("rootuser"), out, "-p", "never", "--assemble-user", "1001");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(sh(out, "cat assemble-uid").stdout()).isEqualTo("1001\n");
    assertThat(inspectImage(out).get("Config").get("User").asText()).isEqualTo("root");
  }

  @Test
  void allowedUidsMatrix() {
    assertThat(s2i("build", app("plain"), fixture("nameduser"), outputImage("named"), "-p", "never").exitCode()).isZero();
    var named = s2i("build", app("plain"), fixture("nameduser"), outputImage("named2"), "-p", "never", "-u", "1-");
    assertThat(named.exitCode()).isEqualTo(9);
    assertThat(named.stderr()).contains("must specify a user that is numeric");
    assertThat(s2i("build", app("plain"), fixture("builder"), outputImage("numeric"), "-p", "never", "-u", "1-").exitCode()).isZero();
    var labelRoot = s2i("build", app("plain"), fixture("asmroot"), outputImage("asmroot"), "-p", "never", "-u", "1-");
    assertThat(labelRoot.exitCode()).isEqualTo(9);
    assertThat(labelRoot.stderr()).contains("io.openshift.s2i.assemble-user");
    assertThat(s2i("build", app("plain"), fixture("builder"), outputImage("flagroot"), "-p", "never", "-u", "1-", "--assemble-user", "0").exitCode()).isEqualTo(9);
    assertThat(s2i("build", app("plain"), fixture("builder"), outputImage("narrow"), "-p", "never", "-u", "2000").exitCode()).isEqualTo(9);
    assertThat(s2i("build", app("plain"), fixture("onbuild-root"), outputImage("onbroot"), "-p", "never", "-u", "1-").exitCode()).isEqualTo(9);
  }

  @Test
  void destinationFromLabelAndFlag() {
    String out = outputImage("dest");
    var r = s2i("build", app("plain"), fixture("dest"), out, "-p", "never", "--keep-inputs");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(sh(out, "ls /var/tmp/src; cat hello.txt").stdout()).isEqualTo("hello.txt\nsub\nhello from plain app\n");

    String out2 = outputImage("destflag");
    var r2 = s2i("build", app("with-s2i"), fixture("builder"), out2, "-p", "never", "--keep-inputs", "-d", "/var/tmp", "-e", "SRC_DIR=/var/tmp/src");
    assertThat(r2.exitCode()).as(r2.all()).isZero();
    assertThat(strings(inspectImage(out2).get("Config").get("Cmd"))).containsExactly("/var/tmp/scripts/run");

    var missing = s2i("build", app("plain"), fixture("builder"), outputImage("nodest"), "-p", "never", "--keep-inputs", "-d", "/opt/nowhere");
    assertThat(missing.exitCode()).isEqualTo(6);
    assertThat(missing.stderr()).contains("--destination");
  }

  @Test
  void s2iignoreAndExcludeLeaveFilesOut() {
    String out = outputImage("ignore");
    var r = s2i("build", app("ignore"), fixture("builder"), out, "-p", "never", "--keep-inputs", "--exclude", "\\.tmp$");
    assertThat(r.exitCode()).as(r.all()).isZero();
    String listing = sh(out, "cd /tmp/src && find . -type f | sort").stdout();
    assertThat(listing).isEqualTo("./.s2iignore\n./a.txt\n./b.log\n./keep/k.log\n");
  }

  @Test
  void defaultExcludeLeavesGitOutAndEmptyExcludeKeepsIt() throws Exception {
    Path src = writeApp("gitdir", "hello.txt", "hi\n", ".git/HEAD", "ref: refs/heads/main\n", "x.tmp", "t\n");
    String out = outputImage("gitdir");
    // --copy: a directory with its own .git is otherwise cloned as a git repository (spec §9.2).
    assertThat(s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--keep-inputs", "--copy").exitCode()).isZero();
    assertThat(sh(out, "ls -A /tmp/src | sort | tr '\\n' ' '").stdout()).isEqualTo("hello.txt x.tmp ");
    String out2 = outputImage("gitdir2");
    assertThat(s2i("build", src.toString(), fixture("builder"), out2, "-p", "never", "--keep-inputs", "--copy", "--exclude", "").exitCode()).isZero();
    assertThat(sh(out2, "ls -A /tmp/src | sort | tr '\\n' ' '").stdout()).isEqualTo(".git hello.txt x.tmp ");
  }

  @Test
  void symlinksFollowedByDefaultAndKeptOnRequest() throws Exception {
    Path src = writeApp("links", "hello.txt", "hi\n");
    Files.createSymbolicLink(src.resolve("link.txt"), Path.of("hello.txt"));
    Files.createSymbolicLink(src.resolve("broken"), Path.of("missing"));
    String out = outputImage("follow");
    assertThat(s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--keep-inputs").exitCode()).isZero();
    assertThat(sh(out, "cd /tmp/src; stat -c '%n %F' broken link.txt").stdout())
        .isEqualTo("broken symbolic link\nlink.txt regular file\n");
    String out2 = outputImage("keep");
    assertThat(s2i("build", src.toString(), fixture("builder"), out2, "-p", "never", "--keep-inputs", "--keep-symlinks").exitCode()).isZero();
    assertThat(sh(out2, "cd /tmp/src; stat -c '%n %F' link.txt").stdout()).isEqualTo("link.txt symbolic link\n");
  }

  @Test
  void injectedFilesReachAssembleButNotTheImage() throws Exception {
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(secrets.resolve("secret"), "secret-value\n");
    Path src = writeApp("inject", "hello.txt", "hi\n", ".s2i/bin/assemble",
        "#!/bin/sh\nset -e\ncat /tmp/secrets/secret > /opt/app-root/src/seen-abs\ncat /opt/app-root/src/rel/secret > /opt/app-root/src/seen-rel\n");
    String out = outputImage("inject");
    var r = s2i("build", src.toString(), fixture("builder"), out, "-p", "never",
        "-i", secrets + ":/tmp/secrets", "--inject", secrets + ":rel");
    assertThat(r.exitCode()).as(r.all()).isZero();
    var check = sh(out, "cat seen-abs seen-rel; stat -c '%s' /tmp/secrets/secret /opt/app-root/src/rel/secret");
    assertThat(check.stdout()).isEqualTo("secret-value\nsecret-value\n0\n0\n");
  }

  @Test
  void imageMetadataLabelsNameAndDescription() throws Exception {
    Path src = writeApp("meta", "hello.txt", "hi\n", "metadata.json",
        "{\"labels\":[{\"custom.label\":\"yes\"},{\"io.k8s.display-name\":\"from-metadata\"}]}");
    String out = outputImage("meta");
    var r = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "-n", "My App", "--description", "my description");
    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode labels = inspectImage(out).get("Config").get("Labels");
    assertThat(labels.get("custom.label").asText()).isEqualTo("yes");
    assertThat(labels.get("io.k8s.display-name").asText()).isEqualTo("from-metadata");
    assertThat(labels.get("io.k8s.description").asText()).isEqualTo("my description");

    Path bad = writeApp("badmeta", "hello.txt", "hi\n", "metadata.json", "{\"nolabels\": 1, ");
    var r2 = s2i("build", bad.toString(), fixture("builder"), outputImage("badmeta"), "-p", "never");
    assertThat(r2.exitCode()).isEqualTo(6);
    assertThat(r2.stderr()).contains("image_metadata.json");
  }

  @Test
  void builderWithEntrypointStillRunsAssembleAndKeepsItsEntrypoint() {
    String out = outputImage("entry");
    var r = s2i("build", app("plain"), fixture("entrypoint"), out, "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("---> Installing application source").doesNotContain("ENTRYPOINT-PREFIX");
    JsonNode config = inspectImage(out).get("Config");
    assertThat(strings(config.get("Entrypoint"))).containsExactly("/bin/echo", "ENTRYPOINT-PREFIX");
    assertThat(sh(out, "test -f assemble-invoked && echo ran").stdout()).isEqualTo("ran\n");
  }

  @Test
  void quietHidesAssembleStdoutOnly() {
    var r = s2i("build", app("plain"), fixture("builder"), outputImage("quiet"), "-p", "never", "-q");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).doesNotContain("---> Installing").contains("Build completed successfully");
  }

  @Test
  void runFlagRunsTheResult() {
    var r = s2i("build", app("plain"), fixture("builder"), outputImage("run"), "-p", "never", "--run");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("hello from plain app");
  }

  @Test
  void networkCapDropAddHostAndVolume() throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol"));
    Files.writeString(vol.resolve("mounted.txt"), "from-volume\n");
    Path src = writeApp("opts", "hello.txt", "hi\n", ".s2i/bin/assemble",
        "#!/bin/sh\nset -e\ngrep myhost /etc/hosts > /opt/app-root/src/hosts\ncat /mnt/vol/mounted.txt > /opt/app-root/src/vol\n");
    String out = outputImage("opts");
    var r = s2i("build", src.toString(), fixture("builder"), out, "-p", "never", "--network", "none",
        "--cap-drop", "MKNOD,NET_RAW", "--cap-drop", "CHOWN", "--add-host", "myhost:127.0.0.2", "-v", vol + ":/mnt/vol:ro");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(sh(out, "cat hosts vol").stdout()).contains("127.0.0.2").contains("myhost").endsWith("from-volume\n");
  }

  @Test
  void callbackIsPostedWithTheLabels() throws Exception {
    try (CallbackServer server = CallbackServer.start()) {
      String out = outputImage("callback");
      var r = s2i("build", app("plain"), fixture("builder"), out, "-p", "never", "--callback-url", server.url());
      assertThat(r.exitCode()).as(r.all()).isZero();
      assertThat(server.bodies()).hasSize(1);
      assertThat(server.bodies().get(0)).startsWith("{\"labels\":{").contains("\"success\":true").contains(out);
      assertThat(server.contentTypes()).containsExactly("application/json");
    }
  }

  @Test
  void builderFromAZstdOciLayoutIsLoadedUncompressed() throws Exception {
    // Docker 20.10 cannot load zstd layers: the layout is read (and checked) by s2i and loaded as tars.
    Path layout = tmp.resolve("zstd-layout");
    var copy = new ProcessBuilder("skopeo", "copy", "-q", "--dest-compress-format", "zstd", "--dest-compress",
        "docker-daemon:" + FIXTURE + "builder:latest", "oci:" + layout + ":z").redirectErrorStream(true).start();
    String copyOut = new String(copy.getInputStream().readAllBytes());
    assertThat(copy.waitFor()).as(copyOut).isZero();
    var raw = new ProcessBuilder("skopeo", "inspect", "--raw", "oci:" + layout + ":z").start();
    var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw.getInputStream().readAllBytes());
    assertThat(raw.waitFor()).isZero();
    assertThat(manifest.get("layers")).isNotEmpty().allSatisfy(l -> assertThat(l.get("mediaType").asText())
        .endsWith("+zstd"));
    String configId = manifest.get("config").get("digest").asText();
    String out = outputImage("zstd-builder");
    try {
      var r = s2i("build", app("plain"), "oci:" + layout + ":z", out, "-p", "never");
      assertThat(r.exitCode()).as(r.all()).isZero();
      assertThat(runImage(out).stdout()).isEqualTo("hello from plain app\n");
      if (engine().isEmpty()) { // the Docker engine loads the layout as an image of its own
        assertThat(inspectImage("localhost/s2i-file:" + configId.substring(7, 19)).get("Id").asText())
            .isEqualTo(configId);
      }
    } finally {
      Docker.removeImage("localhost/s2i-file:" + configId.substring(7, 19));
    }
  }

  @Test
  void builderFromADockerArchiveOrAnOciLayout() throws Exception {
    Path archive = tmp.resolve("builder.tar");
    Path layout = tmp.resolve("layout");
    var save = new ProcessBuilder("docker", "save", "-o", archive.toString(), FIXTURE + "builder:latest")
        .redirectErrorStream(true).start();
    assertThat(save.waitFor()).isZero();
    var copy = new ProcessBuilder("skopeo", "copy", "-q", "docker-archive:" + archive, "oci:" + layout + ":b1")
        .redirectErrorStream(true).start();
    String copyOut = new String(copy.getInputStream().readAllBytes());
    assertThat(copy.waitFor()).as(copyOut).isZero();
    for (String builder : List.of("docker-archive:" + archive, "oci:" + layout + ":b1")) {
      String out = outputImage("file-builder");
      var r = s2i("build", app("plain"), builder, out, "-p", "never");
      assertThat(r.exitCode()).as(r.all()).isZero();
      assertThat(runImage(out).stdout()).isEqualTo("hello from plain app\n");
      assertThat(inspectImage(out).get("Config").get("Labels").get("io.openshift.s2i.build.image").asText())
          .isEqualTo(builder);
    }
    String id = Docker.inspectImage(FIXTURE + "builder:latest").get("Id").asText();
    Docker.removeImage("localhost/s2i-file:" + id.substring(7, 19));
    var missing = s2i("build", app("plain"), "oci:" + tmp.resolve("nothing"), outputImage("file-missing"), "-p", "never");
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.stderr().lines().filter(l -> l.startsWith("ERROR:")).toList()).singleElement().asString()
        .contains("cannot read image oci:").contains("Fix:");
  }
}
