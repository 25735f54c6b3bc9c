package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerTlsTest {
  @TempDir Path tmp;

  @Test
  void offUnlessTlsOrTlsVerifyIsSet() {
    assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_CERT_PATH", tmp.toString()))).isEmpty();
    assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", ""))).isEmpty();
    assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_TLS", "1", "HOME", tmp.toString())).orElseThrow().verify())
        .isFalse();
    assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_TLS", "1", "HOME", tmp.toString()))
        .orElseThrow().verify()).isTrue();
  }

  @Test
  void filesOfTheCertPathAreUsedOnlyWhenTheyExist() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("certs"));
    Files.writeString(dir.resolve("ca.pem"), "x");
    Files.writeString(dir.resolve("cert.pem"), "x");
    DockerTls tls = DockerTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", dir.toString()))
        .orElseThrow();
    assertThat(tls.ca()).contains(dir.resolve("ca.pem"));
    assertThat(tls.certificate()).contains(dir.resolve("cert.pem"));
    assertThat(tls.key()).isEmpty();
    assertThat(tls.describe()).contains("verifying the daemon against " + dir.resolve("ca.pem"))
        .contains("no client certificate");
  }

  @Test
  void certPathFallsBackToDockerConfigThenHomeAndNamedFilesWin() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("key.pem"), "x");
    Path home = Files.createDirectories(tmp.resolve("home/.docker"));
    Files.writeString(home.resolve("ca.pem"), "x");
    assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_TLS", "1", "DOCKER_CONFIG", config.toString()))
        .orElseThrow().key()).contains(config.resolve("key.pem"));
    assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_TLS", "1", "HOME", tmp.resolve("home").toString()))
        .orElseThrow().ca()).contains(home.resolve("ca.pem"));
    Path named = tmp.resolve("elsewhere.pem");
    assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "1", "HOME", tmp.resolve("home").toString(),
        "S2I_DOCKER_TLS_CA", named.toString())).orElseThrow().ca()).isEqualTo(Optional.of(named));
  }
}
