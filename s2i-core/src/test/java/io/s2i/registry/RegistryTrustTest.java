package io.s2i.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTrustTest {
  @TempDir Path root;

  @Test
  void aRegistryWithoutFilesUsesTheDefaults() throws IOException {
    RegistryTrust trust = new RegistryTrust(root);
    assertThat(trust.sslContext("registry.example:5000")).isEmpty();
    Files.createDirectories(root.resolve("registry.example:5000")).resolve("README").toFile().createNewFile();
    assertThat(trust.sslContext("registry.example:5000")).isEmpty();
    assertThat(trust.directory("registry.example:5000")).isEqualTo(root.resolve("registry.example:5000"));
  }

  @Test
  void aFileThatIsNotACertificateIsNamed() throws IOException {
    Path dir = Files.createDirectories(root.resolve("registry.example"));
    Files.writeString(dir.resolve("ca.crt"), "not a certificate\n");
    assertThatThrownBy(() -> new RegistryTrust(root).sslContext("registry.example"))
        .isInstanceOf(IOException.class).hasMessageContaining(dir.toString());
  }

  @Test
  void aClientCertificateWithoutItsKeyIsNamed() throws IOException {
    Path dir = Files.createDirectories(root.resolve("registry.example"));
    Files.writeString(dir.resolve("client.cert"), "");
    assertThatThrownBy(() -> new RegistryTrust(root).sslContext("registry.example"))
        .isInstanceOf(IOException.class).hasMessageContaining("client.key");
  }
}
