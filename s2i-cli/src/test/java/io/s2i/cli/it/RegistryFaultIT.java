package io.s2i.cli.it;

import io.s2i.testing.engine.EngineAvailability;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.testing.registry.FaultProxy;
import io.s2i.testing.registry.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry that fails in the middle of a push: Debian's docker-registry behind a
 * {@link FaultProxy} that resets the connections once a megabyte of the upload has gone through,
 * so the cut lands inside the builder's base layer (tens of MB compressed). The daemon pushes to
 * the proxy's 127.0.0.1 address over plain HTTP (loopback registries are insecure by default).
 */
class RegistryFaultIT extends EngineTestBase {
  static final String BUILDER = "localhost/s2i-example/shell-builder:latest";
  static final long MID_UPLOAD = 1 << 20;
  static final ObjectMapper JSON = new ObjectMapper();

  RegistryServer registry;
  FaultProxy proxy;
  private final List<String> pushed = new ArrayList<>();

  @BeforeAll
  static void requirePrograms() {
    EngineAvailability.requireOrSkip(
        RegistryServer.available() && EngineAvailability.onPath("skopeo") && Docker.imageExists(BUILDER),
        "RegistryFaultIT needs docker-registry, openssl, htpasswd, curl, skopeo and " + BUILDER);
  }

  @BeforeEach
  void startRegistryBehindProxy() throws Exception {
    registry = RegistryServer.plain(Files.createDirectories(tmp.resolve("registry")));
    proxy = FaultProxy.start(registry.port());
  }

  @AfterEach
  void stopRegistry() throws Exception {
    pushed.forEach(Docker::removeImage);
    proxy.close();
    registry.close();
  }


  /** A reference through the proxy; the daemon's local tag is removed after the test. */
  private String refThroughProxy(String name) {
    String ref = proxy.address() + "/it/" + name + ":1";
    pushed.add(ref);
    return ref;
  }

  private S2iProcess.Result push(String ref, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("build",
        writeApp("fault", "app.sh", "echo pushed\n").toString(), BUILDER, ref, "--push", "--network", "none"));
    args.addAll(List.of(more));
    Map<String, String> env = Map.of(
        "HOME", Files.createDirectories(tmp.resolve("home")).toString(),
        "DOCKER_CONFIG", Files.createDirectories(tmp.resolve("nocfg")).toString());
    return S2iProcess.run(tmp, javaTmp, env, args.toArray(String[]::new));
  }

  private static List<String> errorLines(S2iProcess.Result r) {
    return r.stderr().lines().filter(l -> l.startsWith("ERROR:")).toList();
  }

  @Test
  void registryDyingMidPushIsRetriedThenReportedWithTheRegistryAndTheFix() throws Exception {
    proxy.dieAfter(MID_UPLOAD);
    String ref = refThroughProxy("died");
    Path digestFile = tmp.resolve("digest");
    Path json = tmp.resolve("result.json");
    long start = System.nanoTime();
    S2iProcess.Result r = push(ref, "--digest-file", digestFile.toString(), "--output-json", json.toString());
    System.err.printf("RegistryFaultIT: registry died mid-push, s2i ended after %d s%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));

    assertThat(proxy.cuts()).as("the proxy cut the upload").isPositive();
    assertThat(r.exitCode()).as(r.all()).isEqualTo(8);
    assertThat(errorLines(r)).as(r.all()).hasSize(1);
    assertThat(errorLines(r).get(0)).contains(proxy.address(), "running and reachable", "gave up after 3 attempts");
    assertThat(r.stderr()).as("the daemon retried the layer").contains("the engine retries it in 5 s");
    assertThat(r.stderr()).as("s2i pushed again").contains("retrying the push of " + ref);
    assertThat(digestFile).doesNotExist();
    JsonNode result = JSON.readTree(json.toFile());
    assertThat(result.get("success").asBoolean()).isFalse();
    assertThat(result.get("exitCode").asInt()).isEqualTo(8);
    assertThat(registry.manifestDigest("it/died", "1")).isEmpty();
  }

  @Test
  void uploadCutOnceMidwayIsRetriedAndThePushCompletes() throws Exception {
    proxy.cutOnceAfter(MID_UPLOAD);
    String ref = refThroughProxy("recovered");
    long start = System.nanoTime();
    S2iProcess.Result r = push(ref);
    System.err.printf("RegistryFaultIT: upload cut once, s2i ended after %d s%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));

    assertThat(proxy.cuts()).as("the proxy cut the upload").isPositive();
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).as(r.all()).contains("Pushing " + ref + ": layer ", "failed; the engine retries it in 5 s");
    assertThat(r.stderr()).doesNotContain("retrying the push"); // the daemon's own retry was enough
    String digest = r.stdout().strip();
    assertThat(digest).startsWith("sha256:");
    // Asked of the registry itself, not through the proxy.
    Process skopeo = new ProcessBuilder("skopeo", "inspect", "--tls-verify=false",
        "docker://" + registry.address() + "/it/recovered:1").redirectErrorStream(true).start();
    byte[] out = skopeo.getInputStream().readAllBytes();
    assertThat(skopeo.waitFor()).as(new String(out)).isZero();
    assertThat(JSON.readTree(out).get("Digest").asText()).isEqualTo(digest);
  }

  @Test
  void connectionsResetBeforeThePushAreRetriedByS2i() throws Exception {
    // Two: the daemon tries HTTPS first and falls back to plain HTTP for a loopback registry, and
    // gives the push up when both are reset; the daemon does not retry that, s2i does.
    proxy.resetNext(2);
    String ref = refThroughProxy("reset");
    S2iProcess.Result r = push(ref);

    assertThat(proxy.cuts()).isEqualTo(2);
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("connection reset by peer; retrying the push of " + ref + " in 2 s (attempt 2 of 3)");
    assertThat(errorLines(r)).isEmpty();
    assertThat(registry.manifestDigest("it/reset", "1")).contains(r.stdout().strip());
  }
}
