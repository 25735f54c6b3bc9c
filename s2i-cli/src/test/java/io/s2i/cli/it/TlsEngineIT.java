package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.testing.engine.EngineAvailability;
import io.s2i.testing.engine.TlsEngine;
import io.s2i.testing.registry.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS flags end to end, against the second daemon {@code scripts/ensure-tls-engine.sh} runs on
 * a loopback TCP port with TLS and client certificates: builds go through docker-java's transport
 * (pull, copy-in, save and load, push, a Dockerfile build), the result lands in that daemon and
 * nowhere else, and a flag that does not fit is exit 7 naming the endpoint.
 */
class TlsEngineIT {
  private static final String FIXTURE = "localhost/s2i-test/";
  private static TlsEngine tls;
  @TempDir Path tmp;
  private Path javaTmp;
  private Set<String> containersBefore;
  private Set<String> danglingBefore;
  private final List<String> images = new ArrayList<>();

  @BeforeAll
  static void requireDaemon() {
    tls = TlsEngine.require();
    EngineAvailability.requireOrSkip(Docker.imageExists(FIXTURE + "builder:latest"),
        "the fixture images are missing: scripts/ensure-fixtures.sh builds them");
    tls.copyFromMainDaemon(FIXTURE + "builder:latest", FIXTURE + "onbuild:latest");
  }

  @BeforeEach
  void recordDaemonState() throws IOException {
    javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    containersBefore = new HashSet<>(tls.containerIds());
    danglingBefore = new HashSet<>(tls.danglingImages());
  }

  @AfterEach
  void checkNothingLeft() throws IOException {
    images.forEach(i -> tls.docker("rmi", "-f", i));
    Set<String> containers = new HashSet<>(tls.containerIds());
    containers.removeAll(containersBefore);
    assertThat(containers).as("containers left in the TLS daemon").isEmpty();
    Set<String> dangling = new HashSet<>(tls.danglingImages());
    dangling.removeAll(danglingBefore);
    assertThat(dangling).as("untagged images left in the TLS daemon").isEmpty();
    try (var left = Files.list(javaTmp)) {
      assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("s2i")).toList())
          .as("temporary directories left behind").isEmpty();
    }
  }

  private String image(String name) {
    String ref = "localhost/s2i-tls-it/" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
    images.add(ref);
    return ref;
  }

  /** {@code bin/s2i} with the TLS flags for the second daemon, the Docker engine named. */
  private S2iProcess.Result s2i(String... args) {
    List<String> all = new ArrayList<>(tls.s2iFlags());
    all.addAll(List.of("--engine", "docker"));
    all.addAll(List.of(args));
    return S2iProcess.run(tmp, javaTmp, Map.of("HOME", tmp.toString()), all.toArray(String[]::new));
  }

  @Test
  void aBuildPullsInjectsIsMadeReproducibleAndPushedThroughTheTlsDaemon() throws Exception {
    EngineAvailability.requireOrSkip(RegistryServer.available(), "docker-registry, openssl, htpasswd or curl is missing");
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(secrets.resolve("token"), "s3cr3t\n");
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("hello.txt"), "hello over tls\n");
    Files.createDirectories(app.resolve(".s2i/bin"));
    Path assemble = Files.writeString(app.resolve(".s2i/bin/assemble"),
        "#!/bin/sh\nset -e\ncp -R /tmp/src/. ./\ncat /tmp/secrets/token > seen-secret\n");
    assemble.toFile().setExecutable(true, false);
    try (RegistryServer registry = RegistryServer.plain(tmp.resolve("registry"))) {
      // The builder is only in the registry: the build pulls it.
      String builder = registry.address() + "/tls/builder:" + UUID.randomUUID().toString().substring(0, 8);
      assertThat(tls.docker("tag", FIXTURE + "builder:latest", builder).exitCode()).isZero();
      assertThat(tls.docker("push", builder).exitCode()).isZero();
      assertThat(tls.docker("rmi", builder).exitCode()).isZero();
      images.add(builder);
      String out = registry.address() + "/tls/app:1";
      images.add(out);

      S2iProcess.Result r = s2i("build", app.toString(), builder, out, "--pull-policy", "always",
          "-i", secrets + ":/tmp/secrets", "--source-date-epoch", "1700000000", "--push");

      assertThat(r.exitCode()).as(r.all()).isZero();
      assertThat(r.stderr()).contains("Pushed " + out);
      assertThat(tls.docker("image", "inspect", builder).exitCode()).as("the builder was pulled").isZero();
      String digest = r.stdout().strip();
      assertThat(registry.manifestDigest("tls/app", "1")).contains(digest);
      assertThat(tls.docker("image", "inspect", "--format", "{{.Created}}", out).stdout().strip())
          .isEqualTo("2023-11-14T22:13:20Z");
      assertThat(tls.docker("run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", out, "-c",
          "cat hello.txt seen-secret; stat -c %s /tmp/secrets/token").stdout())
          .isEqualTo("hello over tls\ns3cr3t\n0\n");
      assertThat(Docker.imageExists(out)).as("the result is not in the machine's main daemon").isFalse();
    }
  }

  @Test
  void anOnbuildBuilderIsBuiltByTheTlsDaemon() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("onbuild-app"));
    Files.writeString(app.resolve("hello.txt"), "hello onbuild over tls\n");
    Path start = Files.writeString(app.resolve("start.sh"), "#!/bin/sh\ncat /app/hello.txt\n");
    start.toFile().setExecutable(true, false);
    String out = image("onbuild");
    S2iProcess.Result r = s2i("build", app.toString(), FIXTURE + "onbuild", out, "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(tls.docker("run", "--rm", "--network", "none", out).stdout()).isEqualTo("hello onbuild over tls\n");
    assertThat(Docker.imageExists(out)).isFalse();
  }

  @Test
  void flagsThatDoNotFitTheDaemonAreExitSevenNamingIt() {
    List<String> wrongCa = new ArrayList<>(List.of("--engine", "docker", "-U", tls.host(), "--tlsverify", "--ca", tls.otherCa().toString(),
        "--cert", tls.cert().toString(), "--key", tls.key().toString(), "usage", FIXTURE + "builder"));
    S2iProcess.Result r = S2iProcess.run(tmp, javaTmp, Map.of("HOME", tmp.toString()), wrongCa.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.all()).isEqualTo(7);
    assertThat(r.stderr()).startsWith("ERROR: cannot connect to the Docker engine at " + tls.host())
        .contains("other-ca.pem");
    S2iProcess.Result plain = S2iProcess.run(tmp, javaTmp, Map.of("HOME", tmp.toString()), "--engine", "docker",
        "-U", tls.host(), "usage", FIXTURE + "builder");
    assertThat(plain.exitCode()).as(plain.all()).isEqualTo(7);
    assertThat(plain.stderr()).contains(tls.host()).contains("--tlsverify");
  }
}
