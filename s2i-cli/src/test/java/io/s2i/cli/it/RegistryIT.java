package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.testing.engine.EngineAvailability;
import io.s2i.testing.registry.RegistryPair;
import io.s2i.testing.registry.RegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull, push, credentials and file outputs against real registries: Debian's docker-registry
 * started by the test on free ports of 127.0.0.1, one plain and one with TLS (a CA made by the
 * test, trusted by the daemon through /etc/docker/certs.d) and htpasswd authentication.
 */
class RegistryIT extends EngineTestBase {
  static final String BUILDER = "localhost/s2i-example/shell-builder:latest";
  static final String USER = "s2i";
  static final String PASSWORD = "right-" + UUID.randomUUID().toString().substring(0, 6);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path registries;
  static RegistryPair registryPair;
  static RegistryServer plain;
  static RegistryServer secure;
  private final List<String> pushed = new ArrayList<>();

  @BeforeAll
  static void startRegistries() throws Exception {
    EngineAvailability.requireOrSkip(RegistryServer.available() && EngineAvailability.onPath("skopeo") && Docker.imageExists(BUILDER),
        "RegistryIT needs docker-registry, openssl, htpasswd, curl, skopeo and " + BUILDER);
    registryPair = RegistryPair.start(registries, USER, PASSWORD);
    plain = registryPair.plain();
    secure = registryPair.secure();
  }

  @AfterAll
  static void stopRegistries() throws Exception {
    if (registryPair != null) {
      registryPair.close();
    }
  }

  @AfterEach
  void removePushedTags() {
    pushed.forEach(Docker::removeImage);
  }


  private String ref(RegistryServer registry, String name, String tag) {
    String ref = registry.address() + "/it/" + name + ":" + tag;
    pushed.add(ref);
    return ref;
  }

  /** An application whose assemble output is the same on every build. */
  private Path deterministicApp() throws IOException {
    return writeApp("repro", "app.sh", "echo reproducible\n", "hello.txt", "hello\n");
  }

  /** Environment with a private HOME and DOCKER_CONFIG, so no real credentials are read. */
  private Map<String, String> env(Path dockerConfigDir) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
    env.put("DOCKER_CONFIG", Files.createDirectories(dockerConfigDir).toString());
    return env;
  }

  private Path authsConfig(String name, String password) throws IOException {
    Path file = Files.createDirectories(tmp.resolve(name)).resolve("config.json");
    String auth = Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.writeString(file, "{\"auths\":{\"" + secure.address() + "\":{\"auth\":\"" + auth + "\"}}}");
    return file;
  }

  private static List<String> errorLines(S2iProcess.Result r) {
    return r.stderr().lines().filter(l -> l.startsWith("ERROR:")).toList();
  }

  @Test
  void pushPrintsAndWritesTheDigestTheRegistryStores() throws Exception {
    String ref = ref(plain, "pushed", "1");
    Path digestFile = tmp.resolve("digest");
    Path json = tmp.resolve("result.json");
    S2iProcess.Result r = S2iProcess.run(tmp, javaTmp, env(tmp.resolve("nocfg")), "build",
        deterministicApp().toString(), BUILDER, ref, "--push", "--digest-file", digestFile.toString(),
        "--output-json", json.toString(), "--network", "none");

    assertThat(r.exitCode()).as(r.all()).isZero();
    String digest = Files.readString(digestFile).strip();
    assertThat(plain.manifestDigest("it/pushed", "1")).contains(digest);
    assertThat(r.stdout().strip()).isEqualTo(digest);
    assertThat(r.stderr()).containsPattern("Pushing " + java.util.regex.Pattern.quote(ref) + ": (\\d+)/\\1 layers.*done");
    JsonNode result = JSON.readTree(json.toFile());
    assertThat(result.get("success").asBoolean()).isTrue();
    assertThat(result.get("digest").asText()).isEqualTo(digest);
    assertThat(result.get("imageId").asText()).isEqualTo(Docker.inspectImage(ref).get("Id").asText());
    assertThat(result.get("tags").get(0).asText()).isEqualTo(ref);
    assertThat(result.get("outputs").toString()).contains(plain.address() + "/it/pushed@" + digest);
    assertThat(result.get("size").asLong()).isPositive();
    assertThat(result.get("steps").findValuesAsText("step")).contains("Assemble", "CommitContainer", "PublishImage");
    assertThat(result.get("labels").get("org.opencontainers.image.created").asText()).matches("\\d{4}-.*Z");
  }

  @Test
  void tlsRegistryWithPasswordFromDockercfgPath() throws Exception {
    String ref = ref(secure, "secure", "1");
    S2iProcess.Result r = S2iProcess.run(tmp, javaTmp, env(tmp.resolve("nocfg")), "build",
        deterministicApp().toString(), BUILDER, "docker://" + ref, "--network", "none",
        "--dockercfg-path", authsConfig("good", PASSWORD).toString());

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stdout().strip()).startsWith("sha256:");
    assertThat(secure.manifestDigest("it/secure", "1")).contains(r.stdout().strip());
  }

  @Test
  void wrongPasswordFailsWithOneLineNamingTheRegistryAndTheFix() throws Exception {
    String ref = ref(secure, "refused", "1");
    Path json = tmp.resolve("failed.json");
    S2iProcess.Result r = S2iProcess.run(tmp, javaTmp, env(tmp.resolve("nocfg")), "build",
        deterministicApp().toString(), BUILDER, ref, "--push", "--network", "none",
        "--dockercfg-path", authsConfig("bad", "wrong").toString(), "--output-json", json.toString());

    assertThat(r.exitCode()).as(r.all()).isEqualTo(8);
    assertThat(errorLines(r)).as(r.all()).hasSize(1);
    assertThat(errorLines(r).get(0)).contains(secure.address(), "docker login", "--dockercfg-path");
    assertThat(r.stderr()).doesNotContain("retrying"); // refused credentials are not transient
    assertThat(secure.manifestDigest("it/refused", "1")).isEmpty();
    JsonNode result = JSON.readTree(json.toFile());
    assertThat(result.get("success").asBoolean()).isFalse();
    assertThat(result.get("exitCode").asInt()).isEqualTo(8);
    assertThat(result.get("error").asText()).contains(secure.address());
  }

  @Test
  void credentialHelperAndCredsStoreServeThePushAndThePullOfABuilder() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path calls = tmp.resolve("helper-calls");
    CredentialHelperScript.write(bin, calls, USER, PASSWORD);
    Path helperCfg = Files.createDirectories(tmp.resolve("helpercfg"));
    Files.writeString(helperCfg.resolve("config.json"),
        "{\"credHelpers\":{\"" + secure.address() + "\":\"s2itest\"}}");
    Map<String, String> env = env(helperCfg);
    env.put("PATH", bin + ":" + System.getenv("PATH"));

    String builderRef = ref(secure, "builder", "1");
    S2iProcess.Result push = S2iProcess.run(tmp, javaTmp, env, "build", deterministicApp().toString(),
        BUILDER, builderRef, "--push", "--network", "none");
    assertThat(push.exitCode()).as(push.all()).isZero();
    assertThat(Files.readString(calls)).contains("get " + secure.address());

    // The pushed image is a builder too: remove it locally and pull it back through credsStore.
    Docker.removeImage(builderRef);
    Path storeCfg = Files.createDirectories(tmp.resolve("storecfg"));
    Files.writeString(storeCfg.resolve("config.json"), "{\"credsStore\":\"s2itest\"}");
    env.put("DOCKER_CONFIG", storeCfg.toString());
    String out = outputImage("pulled-builder");
    S2iProcess.Result pull = S2iProcess.run(tmp, javaTmp, env, "build", deterministicApp().toString(),
        builderRef, out, "--pull-policy", "always", "--network", "none");
    assertThat(pull.exitCode()).as(pull.all()).isZero();
    assertThat(pull.stderr()).containsPattern("Pulling " + java.util.regex.Pattern.quote(builderRef) + ": (\\d+)/\\1 layers.*done");
    assertThat(Docker.runImage(out).stdout()).contains("reproducible");
  }

  @Test
  void usageAndRebuildPullWithTheCredentialsOfDockercfgPath() throws Exception {
    // An s2i-built image, pushed to the registry that asks for a password, then gone locally.
    String appRef = ref(secure, "rebuildme", "1");
    Path good = authsConfig("good-rebuild", PASSWORD);
    S2iProcess.Result push = S2iProcess.run(tmp, javaTmp, env(tmp.resolve("nocfg")), "build",
        deterministicApp().toString(), BUILDER, appRef, "--push", "--network", "none", "--dockercfg-path", good.toString());
    assertThat(push.exitCode()).as(push.all()).isZero();
    Docker.removeImage(appRef);

    S2iProcess.Result anonymous = S2iProcess.run(tmp, javaTmp, env(tmp.resolve("nocfg")), "usage", appRef);
    assertThat(anonymous.exitCode()).as(anonymous.all()).isEqualTo(3);
    S2iProcess.Result usage = S2iProcess.run(tmp, javaTmp, env(tmp.resolve("nocfg")), "usage", appRef,
        "--dockercfg-path", good.toString());
    assertThat(usage.exitCode()).as(usage.all()).isZero();
    assertThat(usage.stderr()).contains("Pulling " + appRef);
    Docker.removeImage(appRef);

    String rebuilt = outputImage("rebuilt-from-registry");
    S2iProcess.Result rebuild = S2iProcess.run(tmp, javaTmp, env(tmp.resolve("nocfg")), "rebuild", appRef, rebuilt,
        "--dockercfg-path", good.toString());
    assertThat(rebuild.exitCode()).as(rebuild.all()).isZero();
    assertThat(rebuild.stderr()).contains("Pulling " + appRef);
    assertThat(Docker.runImage(rebuilt).stdout()).contains("reproducible");
  }

  @Test
  void sameSourceAndEpochGiveTheSameDigestTwice() throws Exception {
    String ref = ref(plain, "repro", "1");
    Map<String, String> env = env(tmp.resolve("nocfg"));
    env.put("SOURCE_DATE_EPOCH", "1700000000");
    List<String> digests = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      S2iProcess.Result r = S2iProcess.run(tmp, javaTmp, env, "build", deterministicApp().toString(),
          BUILDER, ref, "--push", "--network", "none");
      assertThat(r.exitCode()).as(r.all()).isZero();
      digests.add(r.stdout().strip());
      ids.add(Docker.inspectImage(ref).get("Id").asText());
    }
    assertThat(digests.get(1)).isEqualTo(digests.get(0));
    assertThat(ids.get(1)).isEqualTo(ids.get(0));
    JsonNode image = Docker.inspectImage(ref);
    assertThat(image.get("Created").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(image.get("Config").get("Labels").get("org.opencontainers.image.created").asText())
        .isEqualTo("2023-11-14T22:13:20Z");
    assertThat(image.get("Config").get("Labels").has("io.openshift.s2i.build.image")).isTrue();
  }

  @Test
  void ociLayoutIsReadBySkopeoAndDockerArchiveByDockerLoad() throws Exception {
    Path layout = tmp.resolve("layout");
    Path digestFile = tmp.resolve("oci-digest");
    S2iProcess.Result oci = s2i("build", deterministicApp().toString(), BUILDER, "oci:" + layout + ":v1",
        "--digest-file", digestFile.toString(), "--network", "none", "--source-date-epoch", "1700000000");
    assertThat(oci.exitCode()).as(oci.all()).isZero();
    Process skopeo = new ProcessBuilder("skopeo", "inspect", "oci:" + layout + ":v1").redirectErrorStream(true).start();
    JsonNode inspected = JSON.readTree(skopeo.getInputStream().readAllBytes());
    assertThat(skopeo.waitFor()).isZero();
    assertThat(inspected.get("Digest").asText()).isEqualTo(Files.readString(digestFile).strip());
    assertThat(inspected.get("Created").asText()).isEqualTo("2023-11-14T22:13:20Z");

    Path archive = tmp.resolve("image.tar");
    String name = "127.0.0.1:1/s2i-it/archive:" + UUID.randomUUID().toString().substring(0, 8);
    pushed.add(name);
    S2iProcess.Result tar = s2i("build", deterministicApp().toString(), BUILDER,
        "docker-archive:" + archive + ":" + name, "--network", "none");
    assertThat(tar.exitCode()).as(tar.all()).isZero();
    assertThat(Docker.imageExists(name)).isFalse();
    Docker.Result load = Docker.run("load", "-i", archive.toString());
    assertThat(load.exitCode()).as(load.stderr()).isZero();
    assertThat(Docker.runImage(name).stdout()).contains("reproducible");
  }

  @Test
  void badOutputsFailBeforeBuildingAndLeaveNothing() throws Exception {
    Path file = Files.writeString(tmp.resolve("plainfile"), "x");
    S2iProcess.Result unwritable = s2i("build", deterministicApp().toString(), BUILDER,
        "oci:" + file.resolve("sub"), "--network", "none");
    assertThat(unwritable.exitCode()).as(unwritable.all()).isEqualTo(2);
    assertThat(errorLines(unwritable)).hasSize(1);
    assertThat(errorLines(unwritable).get(0)).contains("cannot write the output", "Fix:");
    assertThat(unwritable.stderr()).doesNotContain("Installing application source");

    S2iProcess.Result malformed = s2i("build", deterministicApp().toString(), BUILDER, "docker://Bad/Ref:1");
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(errorLines(malformed).get(0)).contains("invalid reference format");

    S2iProcess.Result pushWithoutName = s2i("build", deterministicApp().toString(), BUILDER, "--push");
    assertThat(pushWithoutName.exitCode()).isEqualTo(2);
    assertThat(errorLines(pushWithoutName).get(0)).contains("--push needs an output image name");

    S2iProcess.Result badEpoch = s2i("build", deterministicApp().toString(), BUILDER, "oci:" + tmp.resolve("o"),
        "--source-date-epoch", "yesterday");
    assertThat(badEpoch.exitCode()).isEqualTo(2);
    assertThat(errorLines(badEpoch).get(0)).contains("--source-date-epoch", "Unix time");
    assertThat(tmp.resolve("o")).doesNotExist();
  }

  @Test
  void unknownRepositoryOnPullNamesTheRegistry() throws Exception {
    S2iProcess.Result r = S2iProcess.run(tmp, javaTmp, env(tmp.resolve("nocfg")), "build",
        deterministicApp().toString(), plain.address() + "/it/no-such-builder:1", "--network", "none");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
    assertThat(errorLines(r)).hasSize(1);
    assertThat(errorLines(r).get(0)).contains(plain.address(), "no-such-builder", "Fix:");
  }

  @Test
  void registryDownIsRetriedThenReportedWithTheFix() throws Exception {
    RegistryServer gone = RegistryServer.plain(Files.createDirectories(tmp.resolve("gone")));
    gone.close();
    String ref = ref(gone, "down", "1");
    Path layout = tmp.resolve("never");
    S2iProcess.Result r = S2iProcess.run(tmp, javaTmp, env(tmp.resolve("nocfg")), "build",
        deterministicApp().toString(), BUILDER, ref, "--push", "--network", "none",
        "--digest-file", tmp.resolve("digest").toString());
    assertThat(r.exitCode()).as(r.all()).isEqualTo(8);
    assertThat(r.stderr()).contains("retrying the push of " + ref);
    assertThat(errorLines(r)).hasSize(1);
    assertThat(errorLines(r).get(0)).contains(gone.address(), "running and reachable");
    assertThat(tmp.resolve("digest")).doesNotExist();
    assertThat(layout).doesNotExist();
  }
}
