package io.s2i.cli.it;

import io.s2i.internal.fs.FileTrees;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.testing.engine.EngineAvailability;
import io.s2i.testing.registry.FaultProxy;
import io.s2i.testing.registry.RegistryPair;
import io.s2i.testing.registry.RegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemonless engine with no daemon at all ({@code --engine oci}, {@code S2I_OCI_DAEMON=none},
 * {@code DOCKER_HOST} naming no socket): the builder comes from a registry, an OCI layout or a
 * docker-archive, and the result is pushed to real registries (Debian's docker-registry on
 * 127.0.0.1, plain and TLS with htpasswd) by the engine's own registry client. Each test has its
 * own cold layer cache. The fixture builder is copied from the loopback registry
 * (scripts/ensure-registry-fixtures.sh) with skopeo.
 */
class OciRegistryIT extends EngineTestBase {
  static final String BUILDER = FIXTURE + "builder:latest";
  /** The fixture builder where skopeo copies it from: the shared loopback registry. */
  static final String BUILDER_SOURCE = "docker://" + REGISTRY_FIXTURE + "builder:latest";
  static final String USER = "s2i";
  static final String PASSWORD = "pw-" + UUID.randomUUID().toString().substring(0, 8);
  static final ObjectMapper JSON = new ObjectMapper();
  /** Bytes of the pull that get through before a cut: inside the builder's base layer. */
  static final long MID_BLOB = 4 << 20;

  @TempDir static Path registries;
  static RegistryPair registryPair;
  static RegistryServer plain;
  static RegistryServer secure;
  static String builderInRegistry;

  @BeforeAll
  static void startRegistries() throws Exception {
    EngineAvailability.requireOrSkip(
        RegistryServer.available() && EngineAvailability.onPath("skopeo") && EngineAvailability.onPath("runc")
            && inLoopbackRegistry(),
        "OciRegistryIT needs docker-registry, openssl, htpasswd, curl, skopeo, runc and " + BUILDER_SOURCE
            + " (scripts/ensure-registry-fixtures.sh)");
    registryPair = RegistryPair.start(registries, USER, PASSWORD);
    plain = registryPair.plain();
    secure = registryPair.secure();
    builderInRegistry = REGISTRY_FIXTURE + "builder:latest";
  }

  private static boolean inLoopbackRegistry() {
    try {
      exec("skopeo", "inspect", "--raw", "--tls-verify=false", BUILDER_SOURCE);
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @AfterAll
  static void stopRegistries() throws Exception {
    if (registryPair != null) {
      registryPair.close();
    }
  }

  @AfterEach
  void removeCache() throws IOException {
    // Unpacked layers hold absolute symlinks; JUnit's TempDir cleanup warns about each one.
    FileTrees.delete(tmp.resolve("xdg-cache"));
  }

  /** No daemon, a cold layer cache of this test, and no credentials but those given. */
  private Map<String, String> env(String config) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("S2I_OCI_DAEMON", "none");
    env.put("DOCKER_HOST", NO_DOCKER);
    env.put("XDG_CACHE_HOME", Files.createDirectories(tmp.resolve("xdg-cache")).toString());
    env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
    Path dockerConfig = Files.createDirectories(tmp.resolve("docker-config"));
    if (config != null) {
      Files.writeString(dockerConfig.resolve("config.json"), config);
    }
    env.put("DOCKER_CONFIG", dockerConfig.toString());
    return env;
  }

  private static String auths(String password) {
    String auth = Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    return "{\"auths\":{\"" + secure.address() + "\":{\"auth\":\"" + auth + "\"}}}";
  }

  private static List<String> errorLines(S2iProcess.Result r) {
    return r.stderr().lines().filter(l -> l.startsWith("ERROR:")).toList();
  }

  @Test
  void builderFromARegistryAndPushToATlsRegistryWithConfigJsonCredentials() throws Exception {
    String ref = secure.address() + "/it/oci-app:1";
    Path digestFile = tmp.resolve("digest");
    S2iProcess.Result r = s2i(env(auths(PASSWORD)), "--engine", "oci", "build", app("plain"), builderInRegistry,
        ref, "--push", "--digest-file", digestFile.toString());

    assertThat(r.exitCode()).as(r.all()).isZero();
    String digest = Files.readString(digestFile).strip();
    assertThat(digest).startsWith("sha256:");
    assertThat(r.stdout().strip()).isEqualTo(digest);
    assertThat(r.stderr()).containsPattern("Pulling " + Pattern.quote(builderInRegistry) + ": (\\d+)/\\1 layers.*done");
    assertThat(r.stderr()).containsPattern("Pushing " + Pattern.quote(ref) + ": (\\d+)/\\1 layers.*done");
    assertThat(secure.manifestDigest("it/oci-app", "1")).contains(digest);
    JsonNode inspected = JSON.readTree(exec("skopeo", "inspect", "--tls-verify=false", "--creds",
        USER + ":" + PASSWORD, "docker://" + ref));
    assertThat(inspected.get("Digest").asText()).isEqualTo(digest);
    assertThat(inspected.get("Labels").get("io.openshift.s2i.build.image").asText()).isEqualTo(builderInRegistry);
    assertThat(Docker.imageExists(ref)).as("no daemon was used").isFalse();

    // The pushed image runs: copy it into the daemon (as a user would docker pull it).
    String local = outputImage("oci-pushed");
    exec("skopeo", "copy", "--src-tls-verify=false", "--src-creds", USER + ":" + PASSWORD, "docker://" + ref,
        "docker-daemon:" + local);
    assertThat(Docker.runImage(local).stdout()).isEqualTo("hello from plain app\n");
  }

  @Test
  void builderPulledFromTheTlsRegistryWithACredentialHelper() throws Exception {
    String builder = secure.address() + "/s2i-test/builder:helper";
    exec("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-creds", USER + ":" + PASSWORD,
        BUILDER_SOURCE, "docker://" + builder);
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path calls = tmp.resolve("helper-calls");
    CredentialHelperScript.write(bin, calls, USER, PASSWORD);
    Map<String, String> env = env("{\"credHelpers\":{\"" + secure.address() + "\":\"s2itest\"}}");
    env.put("PATH", bin + ":" + System.getenv("PATH"));

    S2iProcess.Result r = s2i(env, "--engine", "oci", "build", app("plain"), builder, "oci:" + tmp.resolve("out"));
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(Files.readString(calls)).contains("get " + secure.address());
    assertThat(r.stderr()).containsPattern("Pulling " + Pattern.quote(builder) + ": (\\d+)/\\1 layers.*done");

    // Without credentials (and a cold cache) the registry refuses the pull: exit 3 naming it and the fix.
    FileTrees.delete(tmp.resolve("xdg-cache"));
    S2iProcess.Result anonymous = s2i(env(null), "--engine", "oci", "build", app("plain"), builder,
        "oci:" + tmp.resolve("never"));
    assertThat(anonymous.exitCode()).as(anonymous.all()).isEqualTo(3);
    assertThat(errorLines(anonymous)).as(anonymous.all()).hasSize(1);
    assertThat(errorLines(anonymous).get(0)).contains(secure.address(), "docker login");
  }

  @Test
  void aWarmCacheFetchesNoLayerAgain() throws Exception {
    // A registry of this test, whose layer blobs are deleted after the first pull: the second
    // build (pull policy always) can only succeed if it takes every layer from the cache.
    Path dir = Files.createDirectories(tmp.resolve("own-registry"));
    try (RegistryServer own = RegistryServer.plain(dir)) {
      String builder = own.address() + "/s2i-test/builder:1";
      exec("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", BUILDER_SOURCE, "docker://" + builder);
      Map<String, String> env = env(null);
      S2iProcess.Result cold = s2i(env, "--engine", "oci", "build", app("plain"), builder, "oci:" + tmp.resolve("o1"));
      assertThat(cold.exitCode()).as(cold.all()).isZero();

      JsonNode manifest = JSON.readTree(exec("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + builder));
      for (JsonNode layer : manifest.get("layers")) {
        String hex = layer.get("digest").asText().substring("sha256:".length());
        Files.deleteIfExists(dir.resolve("storage/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2))
            .resolve(hex).resolve("data"));
      }
      S2iProcess.Result warm = s2i(env, "--engine", "oci", "build", app("plain"), builder, "oci:" + tmp.resolve("o2"),
          "--pull-policy", "always");
      assertThat(warm.exitCode()).as(warm.all()).isZero();
      assertThat(warm.stderr()).containsPattern("Pulling " + Pattern.quote(builder) + ": (\\d+)/\\1 layers.*done");

      // A cold cache cannot pull the image any more: the layers really are gone.
      FileTrees.delete(tmp.resolve("xdg-cache"));
      S2iProcess.Result broken = s2i(env(null), "--engine", "oci", "build", app("plain"), builder,
          "oci:" + tmp.resolve("o3"));
      assertThat(broken.exitCode()).as(broken.all()).isEqualTo(3);
      assertThat(errorLines(broken)).as(broken.all()).hasSize(1);
      assertThat(errorLines(broken).get(0)).contains(own.address());
    }
  }

  @Test
  void builderFromAnOciLayoutAndFromADockerArchive() throws Exception {
    Path layout = tmp.resolve("builder-layout");
    exec("skopeo", "copy", "--src-tls-verify=false", BUILDER_SOURCE, "oci:" + layout + ":builder");
    Path out = tmp.resolve("out-layout");
    S2iProcess.Result fromLayout = s2i(env(null), "--engine", "oci", "build", app("plain"),
        "oci:" + layout + ":builder", "oci:" + out + ":app");
    assertThat(fromLayout.exitCode()).as(fromLayout.all()).isZero();
    JsonNode inspected = JSON.readTree(exec("skopeo", "inspect", "oci:" + out + ":app"));
    assertThat(inspected.get("Labels").get("io.openshift.s2i.build.image").asText()).isEqualTo("oci:" + layout + ":builder");

    Path archive = tmp.resolve("builder.tar");
    exec("skopeo", "copy", "--src-tls-verify=false", BUILDER_SOURCE, "docker-archive:" + archive + ":" + BUILDER);
    Path outArchive = tmp.resolve("out.tar");
    String name = outputImage("oci-from-archive");
    S2iProcess.Result fromArchive = s2i(env(null), "--engine", "oci", "build", app("plain"),
        "docker-archive:" + archive, "docker-archive:" + outArchive + ":" + name);
    assertThat(fromArchive.exitCode()).as(fromArchive.all()).isZero();
    Docker.Result load = Docker.run("load", "-i", outArchive.toString());
    assertThat(load.exitCode()).as(load.stderr()).isZero();
    assertThat(Docker.runImage(name).stdout()).isEqualTo("hello from plain app\n");
  }

  @Test
  void zstdBuilderFromAnOciLayoutAndFromARegistry() throws Exception {
    Path layout = tmp.resolve("zstd-layout");
    exec("skopeo", "copy", "--src-tls-verify=false", "--dest-compress-format", "zstd", "--dest-compress", BUILDER_SOURCE,
        "oci:" + layout + ":z");
    // A registry of this test: skopeo would reuse the gzip blobs of the shared one instead of zstd.
    try (RegistryServer own = RegistryServer.plain(Files.createDirectories(tmp.resolve("zstd-registry")))) {
      String ref = own.address() + "/s2i-test/builder:zstd";
      exec("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":z", "docker://" + ref);
      for (String raw : List.of(exec("skopeo", "inspect", "--raw", "oci:" + layout + ":z"),
          exec("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref))) {
        assertThat(JSON.readTree(raw).get("layers")).isNotEmpty().allSatisfy(l -> assertThat(
            l.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd"));
      }
      JsonNode builderLayers = JSON.readTree(exec("skopeo", "inspect", "--config", "oci:" + layout + ":z"))
          .path("rootfs").path("diff_ids");
      for (String builder : List.of("oci:" + layout + ":z", ref)) {
        FileTrees.delete(tmp.resolve("xdg-cache"));
        Path out = tmp.resolve("out-" + Integer.toHexString(builder.hashCode()));
        S2iProcess.Result r = s2i(env(null), "--engine", "oci", "build", app("plain"), builder, "oci:" + out + ":app");
        assertThat(r.exitCode()).as(r.all()).isZero();
        JsonNode inspected = JSON.readTree(exec("skopeo", "inspect", "oci:" + out + ":app"));
        assertThat(inspected.get("Labels").get("io.openshift.s2i.build.image").asText()).isEqualTo(builder);
        // The layers were checked against the diff ids, which the output keeps below its own.
        JsonNode outLayers = JSON.readTree(exec("skopeo", "inspect", "--config", "oci:" + out + ":app"))
            .path("rootfs").path("diff_ids");
        assertThat(outLayers.size()).isGreaterThan(builderLayers.size());
        for (int i = 0; i < builderLayers.size(); i++) {
          assertThat(outLayers.get(i)).isEqualTo(builderLayers.get(i));
        }
      }
    }
  }

  /**
   * A registry named by host, not by a loopback address, so that its certificate is verified: the
   * name is under {@code .test} (reserved, never resolves in DNS) and the s2i process resolves it
   * to 127.0.0.1 through the JDK's own hosts file ({@code -Djdk.net.hosts.file}); with that set,
   * the JDK asks no DNS server, so the test needs no /etc/hosts entry and sends nothing off the
   * machine.
   */
  @Test
  void aRegistryNamedByHostIsTrustedThroughTheCaInItsCertsDirectory() throws Exception {
    String host = "registry.s2i.test";
    Path hosts = tmp.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 localhost " + host + "\n");
    Path certsDir = Files.createDirectories(tmp.resolve("certs.d"));
    try (RegistryServer named = RegistryServer.tlsNamed(Files.createDirectories(tmp.resolve("named")), host, false)) {
      exec("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", BUILDER_SOURCE,
          "docker://" + named.address() + "/s2i-test/builder:1");
      String builder = named.namedAddress() + "/s2i-test/builder:1";
      Map<String, String> env = env(null);
      env.put("S2I_JAVA_OPTS", "-Djava.io.tmpdir=" + javaTmp + " -Djdk.net.hosts.file=" + hosts);
      env.put("S2I_CERTS_DIR", certsDir.toString());

      // Not loopback: the certificate is checked, and the CA is not trusted yet.
      S2iProcess.Result untrusted = s2i(env, "--engine", "oci", "build", app("plain"), builder,
          "oci:" + tmp.resolve("never"));
      assertThat(untrusted.exitCode()).as(untrusted.all()).isEqualTo(3);
      assertThat(errorLines(untrusted)).as(untrusted.all()).hasSize(1);
      assertThat(errorLines(untrusted).get(0)).contains(named.namedAddress(), "not trusted",
          certsDir.resolve(named.namedAddress()).resolve("ca.crt").toString());
      assertThat(untrusted.stderr()).doesNotContain("retrying");

      Path registryCerts = Files.createDirectories(certsDir.resolve(named.namedAddress()));
      Files.copy(named.caCertificate(), registryCerts.resolve("ca.crt"));
      S2iProcess.Result trusted = s2i(env, "--engine", "oci", "build", app("plain"), builder,
          "oci:" + tmp.resolve("out") + ":app", "--loglevel", "2");
      assertThat(trusted.exitCode()).as(trusted.all()).isZero();
      assertThat(trusted.stderr()).containsPattern("Pulling " + Pattern.quote(builder) + ": (\\d+)/\\1 layers.*done");
    }
  }

  @Test
  void aRegistryAskingForAClientCertificateGetsTheOneInItsCertsDirectory() throws Exception {
    String host = "mtls.s2i.test";
    Path hosts = tmp.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 localhost " + host + "\n");
    Path certsDir = Files.createDirectories(tmp.resolve("certs.d"));
    try (RegistryServer named = RegistryServer.tlsNamed(Files.createDirectories(tmp.resolve("mtls")), host, true)) {
      // skopeo reads a directory laid out as certs.d: the CA and the client's cert/key pair.
      Path registryCerts = Files.createDirectories(certsDir.resolve(named.namedAddress()));
      Files.copy(named.caCertificate(), registryCerts.resolve("ca.crt"));
      Files.copy(named.clientCertificate(), registryCerts.resolve("client.cert"));
      Files.copy(named.clientKey(), registryCerts.resolve("client.key"));
      exec("skopeo", "copy", "--src-tls-verify=false", "--dest-cert-dir", registryCerts.toString(), BUILDER_SOURCE,
          "docker://" + named.address() + "/s2i-test/builder:1");
      String builder = named.namedAddress() + "/s2i-test/builder:1";
      Map<String, String> env = env(null);
      env.put("S2I_JAVA_OPTS", "-Djava.io.tmpdir=" + javaTmp + " -Djdk.net.hosts.file=" + hosts);
      env.put("S2I_CERTS_DIR", certsDir.toString());
      // (Without the client certificate the registry refuses the connection; under TLS 1.3 the
      // client may first see that as a broken pipe and retry, so only RegistryFailuresTest checks
      // the message.)
      String ref = named.namedAddress() + "/it/mtls-app:1";
      S2iProcess.Result r = s2i(env, "--engine", "oci", "build", app("plain"), builder, ref, "--push");
      assertThat(r.exitCode()).as(r.all()).isZero();
      assertThat(named.manifestDigest("it/mtls-app", "1")).contains(r.stdout().strip());
    }
  }

  @Test
  void aReproducibleBuildPushedFromTwoColdCachesHasOneDigest() throws Exception {
    // The fixture builder's assemble writes random content; this builder's does not.
    String builder = "127.0.0.1:5000/s2i-example/shell-builder:latest";
    EngineAvailability.requireOrSkip(Docker.imageExists("localhost/s2i-example/shell-builder:latest"),
        builder + " is missing: scripts/ensure-example-builder.sh, then scripts/ensure-registry-fixtures.sh");
    Path app = writeApp("repro", "app.sh", "echo reproducible\n", "hello.txt", "hello\n");
    String ref = plain.address() + "/it/repro:1";
    List<String> digests = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      FileTrees.delete(tmp.resolve("xdg-cache")); // no layer, no remembered compression
      Map<String, String> env = env(null);
      env.put("SOURCE_DATE_EPOCH", "1700000000");
      S2iProcess.Result r = s2i(env, "--engine", "oci", "build", app.toString(), builder, ref, "--push");
      assertThat(r.exitCode()).as(r.all()).isZero();
      digests.add(r.stdout().strip());
    }
    assertThat(digests.get(0)).startsWith("sha256:").isEqualTo(digests.get(1));
    assertThat(plain.manifestDigest("it/repro", "1")).contains(digests.get(0));
  }

  @Test
  void wrongPasswordFailsAtOnceWithExit8NamingTheRegistry() throws Exception {
    String ref = secure.address() + "/it/oci-refused:1";
    S2iProcess.Result r = s2i(env(auths("wrong")), "--engine", "oci", "build", app("plain"), builderInRegistry,
        ref, "--push", "--digest-file", tmp.resolve("digest").toString());
    assertThat(r.exitCode()).as(r.all()).isEqualTo(8);
    assertThat(errorLines(r)).as(r.all()).hasSize(1);
    assertThat(errorLines(r).get(0)).contains(secure.address(), "docker login", "--dockercfg-path");
    assertThat(r.stderr()).doesNotContain("retrying");
    assertThat(secure.manifestDigest("it/oci-refused", "1")).isEmpty();
    assertThat(tmp.resolve("digest")).doesNotExist();
  }

  @Test
  void registryDownIsRetriedThenReportedWithTheFix() throws Exception {
    RegistryServer gone = RegistryServer.plain(Files.createDirectories(tmp.resolve("gone")));
    gone.close();
    String ref = gone.address() + "/it/down:1";
    S2iProcess.Result r = s2i(env(null), "--engine", "oci", "build", app("plain"), builderInRegistry, ref, "--push");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(8);
    assertThat(r.stderr()).contains("retrying the push of " + ref);
    assertThat(errorLines(r)).as(r.all()).hasSize(1);
    assertThat(errorLines(r).get(0)).contains(gone.address(), "running and reachable");
  }

  @Test
  void aPullCutMidBlobIsRetriedAndTheBuildSucceeds() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("cut-registry"));
    try (RegistryServer own = RegistryServer.plain(dir); FaultProxy proxy = FaultProxy.start(own.port())) {
      exec("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", BUILDER_SOURCE,
          "docker://" + own.address() + "/s2i-test/builder:1");
      String builder = proxy.address() + "/s2i-test/builder:1";
      proxy.cutOnceAfterDownloading(MID_BLOB);
      S2iProcess.Result r = s2i(env(null), "--engine", "oci", "build", app("plain"), builder,
          "oci:" + tmp.resolve("out"));

      assertThat(proxy.cuts()).as("the proxy cut the download").isPositive();
      assertThat(r.exitCode()).as(r.all()).isZero();
      assertThat(r.stderr()).as(r.all()).containsPattern("retrying layer [0-9a-f]{12} of " + Pattern.quote(builder)
          + " in 2 s");
      assertThat(r.stderr()).containsPattern("Pulling " + Pattern.quote(builder) + ": (\\d+)/\\1 layers.*done");
      assertCacheHoldsOnlyVerifiedBlobs();
    }
  }

  @Test
  void aRegistryDyingMidPullIsRetriedThenFailsWithExit8AndLeavesNoPartialBlob() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("dying-registry"));
    try (RegistryServer own = RegistryServer.plain(dir); FaultProxy proxy = FaultProxy.start(own.port())) {
      exec("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", BUILDER_SOURCE,
          "docker://" + own.address() + "/s2i-test/builder:1");
      String builder = proxy.address() + "/s2i-test/builder:1";
      proxy.dieAfterDownloading(MID_BLOB);
      long t0 = System.nanoTime();
      S2iProcess.Result r = s2i(env(null), "--engine", "oci", "build", app("plain"), builder,
          "oci:" + tmp.resolve("never"));
      System.err.printf("OciRegistryIT: registry died mid-pull, s2i ended after %d s%n",
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));

      assertThat(proxy.cuts()).as("the proxy cut the download").isPositive();
      assertThat(r.exitCode()).as(r.all()).isEqualTo(8);
      assertThat(r.stderr()).contains("retrying layer ").contains("in 4 s");
      assertThat(errorLines(r)).as(r.all()).hasSize(1);
      assertThat(errorLines(r).get(0)).contains(proxy.address(), "gave up after 3 attempts", "running and reachable");
      assertThat(tmp.resolve("never")).doesNotExist();
      assertCacheHoldsOnlyVerifiedBlobs();
    }
  }

  /** No file is left in the cache's tmp/, and every blob's content has the digest it is named by. */
  private void assertCacheHoldsOnlyVerifiedBlobs() throws IOException {
    Path cache = tmp.resolve("xdg-cache/s2i-java/oci");
    try (Stream<Path> s = Files.list(cache.resolve("tmp"))) {
      assertThat(s.toList()).as("temporary files in the layer cache").isEmpty();
    }
    try (Stream<Path> s = Files.list(cache.resolve("blobs/sha256"))) {
      for (Path blob : s.toList()) {
        assertThat(sha256(blob)).as("content of " + blob).isEqualTo(blob.getFileName().toString());
      }
    }
  }

  private static String sha256(Path file) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void unknownBuilderRepositoryFailsThePullNamingTheRegistry() throws Exception {
    S2iProcess.Result r = s2i(env(null), "--engine", "oci", "build", app("plain"),
        plain.address() + "/it/no-such-builder:1", outputImage("never"));
    assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
    assertThat(errorLines(r)).as(r.all()).hasSize(1);
    assertThat(errorLines(r).get(0)).contains(plain.address(), "no-such-builder", "Fix:");
  }


  private static String exec(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + err);
    }
    return new String(out, StandardCharsets.UTF_8);
  }

}
