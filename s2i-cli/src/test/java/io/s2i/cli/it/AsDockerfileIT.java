package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --as-dockerfile} and {@code generate} (spec §10): the Dockerfile builds with
 * {@code docker build} and {@code buildah bud} into the image a direct build makes.
 */
class AsDockerfileIT extends EngineTestBase {
  private static final Pattern STEP_FROM = Pattern.compile("^Step \\d+/\\d+ : FROM ", Pattern.MULTILINE);
  private static final Pattern IMAGE_ID = Pattern.compile("^ ---> ([0-9a-f]{12})$", Pattern.MULTILINE);
  private static final String LISTING = "find /opt/app-root/src /tmp/src /tmp/scripts /tmp/inj -printf '%p %u:%g %m %s\\n' 2>/dev/null | grep -v -e cache.txt -e assemble-env | sort; cat hello.txt";
  private final List<String> stageImages = new ArrayList<>();
  private final List<String> buildahImages = new ArrayList<>();

  @AfterEach
  void removeStageImages() {
    // The classic builder keeps each earlier stage as an untagged image: remove ours.
    for (String id : stageImages) {
      Docker.run("rmi", id);
    }
    // Newest first: the built image before the base it was built on.
    for (int i = buildahImages.size() - 1; i >= 0; i--) {
      command(Map.of(), "buildah", "rmi", buildahImages.get(i));
    }
  }

  private static Docker.Result command(Map<String, String> env, String... cmd) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
      return new Docker.Result(p.exitValue(), out, "");
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code docker build} with the classic builder; records the earlier stages' images. */
  private void dockerBuild(Path context, String tag) {
    var r = command(Map.of("DOCKER_BUILDKIT", "0"), "docker", "build", "--network", "none", "-t", tag, context.toString());
    assertThat(r.exitCode()).as(r.stdout()).isZero();
    Matcher from = STEP_FROM.matcher(r.stdout());
    List<Integer> froms = new ArrayList<>();
    while (from.find()) {
      froms.add(from.start());
    }
    for (int i = 1; i < froms.size(); i++) {
      Matcher id = IMAGE_ID.matcher(r.stdout().substring(0, froms.get(i)));
      String last = null;
      while (id.find()) {
        last = id.group(1);
      }
      if (last != null) {
        stageImages.add(last);
      }
    }
  }

  private static Map<String, String> envMap(JsonNode env) {
    Map<String, String> map = new LinkedHashMap<>();
    env.forEach(e -> {
      String s = e.asText();
      map.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
    });
    return map;
  }

  private static Map<String, String> contentLabels(JsonNode labels) {
    Map<String, String> map = new java.util.TreeMap<>();
    labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    map.remove("org.opencontainers.image.created");
    map.remove("io.s2i.build.inputs-digest");
    return map;
  }

  private static void assertSameImage(String actual, JsonNode actualConfig, String expected) {
    JsonNode want = Docker.inspectImage(expected).get("Config");
    // The build time and the digest of a direct build's inputs are not content: leave them out.
    assertThat(contentLabels(actualConfig.get("Labels"))).as("labels of " + actual)
        .isEqualTo(contentLabels(want.get("Labels")));
    assertThat(actualConfig.get("Cmd")).as("Cmd of " + actual).isEqualTo(want.get("Cmd"));
    assertThat(actualConfig.get("User").asText()).as("User of " + actual).isEqualTo(want.get("User").asText());
    assertThat(actualConfig.path("Entrypoint").isNull() || actualConfig.path("Entrypoint").isEmpty()).isTrue();
    assertThat(envMap(actualConfig.get("Env"))).as("Env of " + actual).isEqualTo(envMap(want.get("Env")));
    assertThat(Docker.sh(actual, LISTING).stdout()).as("files of " + actual).isEqualTo(Docker.sh(expected, LISTING).stdout());
  }

  @Test
  void dockerfileBuildsTheSameImageAsADirectBuildWithDockerAndWithBuildah() throws Exception {
    String direct = outputImage("direct");
    String[] common = {"build", app("with-s2i"), FIXTURE + "builder", direct, "-p", "never", "-n", "My App",
        "-e", "FOO=va$l\"ue", "-e", "MULTI=a b"};
    // A Dockerfile build keeps its COPY layers, so compare with a direct build that keeps its inputs.
    var d = s2i(Stream.concat(Stream.of(common), Stream.of("--keep-inputs")).toArray(String[]::new));
    assertThat(d.exitCode()).as(d.all()).isZero();
    Path ctx = tmp.resolve("ctx");
    String[] asDockerfile = Stream.concat(Stream.of(common), Stream.of("--as-dockerfile", ctx + "/")).toArray(String[]::new);
    var g = s2i(asDockerfile);
    assertThat(g.exitCode()).as(g.all()).isZero();
    assertThat(g.stderr()).contains("Application dockerfile generated in " + ctx.resolve("Dockerfile"));
    assertThat(ctx.resolve("upload/scripts/assemble")).exists();
    assertThat(ctx.resolve("upload/src/.s2i/bin")).isEmptyDirectory();

    String viaDocker = outputImage("viadocker");
    dockerBuild(ctx, viaDocker);
    assertSameImage(viaDocker, Docker.inspectImage(viaDocker).get("Config"), direct);

    assertThat(command(Map.of(), "buildah", "--version").exitCode()).as("buildah is needed: apt-get install buildah").isZero();
    var pull = command(Map.of(), "buildah", "pull", "-q", "docker-daemon:" + FIXTURE + "builder:latest");
    buildahImages.add(FIXTURE + "builder:latest");
    assertThat(pull.exitCode()).as(pull.stdout()).isZero();
    String viaBuildah = outputImage("viabuildah");
    buildahImages.add(viaBuildah);
    var bud = command(Map.of(), "buildah", "bud", "--isolation", "chroot", "--pull-never", "--identity-label=false", "-q", "-t", viaBuildah, ctx.toString());
    assertThat(bud.exitCode()).as(bud.stdout()).isZero();
    JsonNode inspected = new ObjectMapper().readTree(command(Map.of(), "buildah", "inspect", "--type", "image", viaBuildah).stdout());
    JsonNode oci = inspected.get("OCIv1").get("config");
    JsonNode want = Docker.inspectImage(direct).get("Config");
    assertThat(contentLabels(oci.get("Labels"))).isEqualTo(contentLabels(want.get("Labels")));
    assertThat(oci.get("Cmd")).isEqualTo(want.get("Cmd"));
    assertThat(oci.get("User").asText()).isEqualTo(want.get("User").asText());
    assertThat(envMap(oci.get("Env"))).isEqualTo(envMap(want.get("Env")));
    // Files: move the image into the Docker engine to run it there.
    var push = command(Map.of(), "buildah", "push", "-q", viaBuildah, "docker-daemon:" + viaBuildah);
    assertThat(push.exitCode()).as(push.stdout()).isZero();
    assertThat(Docker.sh(viaBuildah, LISTING).stdout()).isEqualTo(Docker.sh(direct, LISTING).stdout());
  }

  @Test
  void injectedContentIsInNoLayerOfTheOutputAndTruncatedAsInADirectBuild() throws Exception {
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(secrets.resolve("token"), "TOPSECRET-4b1d9c\n");
    Path ctx = tmp.resolve("inj");
    String out = outputImage("inj");
    var g = s2i("build", app("plain"), FIXTURE + "builder", out, "-i", secrets + ":/tmp/inj", "--as-dockerfile", ctx + "/Dockerfile");
    assertThat(g.exitCode()).as(g.all()).isZero();
    dockerBuild(ctx, out);

    assertThat(Docker.sh(out, "stat -c '%s' /tmp/inj/token; cat hello.txt").stdout()).isEqualTo("0\nhello from plain app\n");
    Process save = new ProcessBuilder("docker", "save", out).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(contains(save.getInputStream(), "TOPSECRET-4b1d9c".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(save.waitFor()).isZero();
  }

  private static boolean contains(InputStream in, byte[] needle) throws IOException {
    byte[] buf = new byte[1 << 16];
    byte[] carry = new byte[0];
    int n;
    boolean found = false;
    while ((n = in.read(buf)) > 0) {
      byte[] window = new byte[carry.length + n];
      System.arraycopy(carry, 0, window, 0, carry.length);
      System.arraycopy(buf, 0, window, carry.length, n);
      String s = new String(window, StandardCharsets.ISO_8859_1);
      if (s.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
        found = true;
      }
      int keep = Math.min(window.length, needle.length - 1);
      carry = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
    }
    return found;
  }

  @Test
  void incrementalAndRuntimeImageStagesBuild() throws Exception {
    String out = outputImage("incr");
    assertThat(s2i("build", app("plain"), FIXTURE + "builder", out, "-p", "never").exitCode()).isZero();
    Path inc = tmp.resolve("inc");
    var g = s2i("build", app("plain"), FIXTURE + "builder", out, "--incremental", "--as-dockerfile", inc + "/");
    assertThat(g.exitCode()).as(g.all()).isZero();
    assertThat(inc.resolve("Dockerfile")).content().startsWith("FROM " + out + " AS cached\n");
    String next = outputImage("incr2");
    dockerBuild(inc, next);
    assertThat(Docker.sh(next, "cmp cache-restored.txt /tmp/src/../artifacts/cache.txt && echo restored").stdout()).isEqualTo("restored\n");

    Path rt = tmp.resolve("rt");
    String rtOut = outputImage("rt");
    var r = s2i("build", app("plain"), FIXTURE + "builder", rtOut, "--runtime-image", FIXTURE + "runtime", "--as-dockerfile", rt + "/");
    assertThat(r.exitCode()).as(r.all()).isZero();
    dockerBuild(rt, rtOut);
    JsonNode config = Docker.inspectImage(rtOut).get("Config");
    assertThat(config.get("User").asText()).isEqualTo("1001");
    assertThat(config.get("WorkingDir").asText()).isEqualTo("/rt");
    assertThat(config.get("Labels").get("runtime.label").asText()).isEqualTo("yes");
    assertThat(config.get("Labels").get("io.openshift.s2i.build.image").asText()).isEqualTo(FIXTURE + "builder:latest");
    assertThat(Docker.runImage(rtOut).stdout()).isEqualTo("hello from plain app\n");
    assertThat(Docker.sh(rtOut, "stat -c '%U %n' /rt/app/hello.txt /rt/cache.txt; test -e /rt/assemble-runtime-invoked && echo ran").stdout())
        .isEqualTo("root /rt/app/hello.txt\nroot /rt/cache.txt\nran\n");
  }

  @Test
  void generateWorksWithoutAnEngineWithUpstreamsDefaults() throws Exception {
    var r = S2iProcess.run(tmp, javaTmp, Map.of("DOCKER_HOST", "unix:///nonexistent.sock"),
        "generate", "127.0.0.1:1/s2ispec-builder", "gen/Dockerfile", "-e", "K=V", "--assemble-user", "1234");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(tmp.resolve("gen/Dockerfile")).content().isEqualTo("""
        FROM 127.0.0.1:1/s2ispec-builder
        LABEL "io.openshift.s2i.build.image"="127.0.0.1:1/s2ispec-builder:latest"
        ENV K="V"
        USER root
        # Copying in override assemble/run scripts
        COPY upload/scripts /tmp/scripts
        # Copying in source code
        COPY upload/src /tmp/src
        # Change file ownership to the assemble user. Builder image must support chown command.
        RUN chown -R 1234:0 /tmp/scripts /tmp/src
        USER 1234
        RUN /usr/libexec/s2i/assemble
        CMD ["/usr/libexec/s2i/run"]
        """);
    assertThat(tmp.resolve("gen/upload/src")).isEmptyDirectory();
  }

  @Test
  void badInputIsOneLineErrorAndLeavesNothing() throws Exception {
    Files.writeString(tmp.resolve("afile"), "x");
    Path src = writeApp("src", "hello.txt", "x");
    String[][] cases = {
        {app("plain"), "--as-dockerfile", tmp.resolve("afile/sub/Dockerfile").toString()},
        {app("plain"), "--as-dockerfile", tmp.resolve("new1/Dockerfile").toString(), "--run"},
        {src.toString(), "--as-dockerfile", src.resolve("out/Dockerfile").toString()},
        {app("plain"), "--as-dockerfile", tmp.resolve("new2/Dockerfile").toString(), "--ref", "x", "-s", "file:///nonexistent"},
    };
    String[] expected = {
        "ERROR: cannot write the Dockerfile in " + tmp.resolve("afile/sub"),
        "ERROR: --run cannot be used with --as-dockerfile",
        "ERROR: the Dockerfile directory " + src.resolve("out") + " lies inside the source",
        "ERROR: could not download any scripts from URL file:///nonexistent",
    };
    for (int i = 0; i < cases.length; i++) {
      List<String> args = new ArrayList<>(List.of("build", cases[i][0], FIXTURE + "builder", "127.0.0.1:1/never/built"));
      args.addAll(List.of(cases[i]).subList(1, cases[i].length));
      var r = s2i(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(r.all()).isNotZero();
      assertThat(r.stderr().lines().filter(l -> l.startsWith("ERROR")).toList()).as(r.all())
          .singleElement().asString().startsWith(expected[i]);
    }
    assertThat(tmp.resolve("new1")).doesNotExist();
    assertThat(tmp.resolve("new2")).doesNotExist();
    assertThat(src.resolve("out")).doesNotExist();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".s2i-dockerfile"));
    }
  }
}
