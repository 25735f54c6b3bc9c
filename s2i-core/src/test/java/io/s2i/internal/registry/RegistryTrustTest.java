package io.s2i.internal.registry;

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
  void aKeyThatIsNotPemIsNamed() throws Exception {
    Path dir = Files.createDirectories(root.resolve("registry.example"));
    // Any certificate will do for this check: the JDK's trust store has plenty.
    java.security.cert.X509Certificate any = defaultIssuer();
    Files.writeString(dir.resolve("client.cert"), "-----BEGIN CERTIFICATE-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(any.getEncoded()) + "\n-----END CERTIFICATE-----\n");
    Files.writeString(dir.resolve("client.key"), "not a key\n");
    assertThatThrownBy(() -> new RegistryTrust(root).sslContext("registry.example"))
        .isInstanceOf(IOException.class).hasMessageContaining("client.key");
  }

  private static java.security.cert.X509Certificate defaultIssuer() throws Exception {
    javax.net.ssl.TrustManagerFactory f = javax.net.ssl.TrustManagerFactory.getInstance(
        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    f.init((java.security.KeyStore) null);
    return ((javax.net.ssl.X509TrustManager) f.getTrustManagers()[0]).getAcceptedIssuers()[0];
  }

  @Test
  void aClientCertificateWithoutItsKeyIsNamed() throws IOException {
    Path dir = Files.createDirectories(root.resolve("registry.example"));
    Files.writeString(dir.resolve("client.cert"), "");
    assertThatThrownBy(() -> new RegistryTrust(root).sslContext("registry.example"))
        .isInstanceOf(IOException.class).hasMessageContaining("client.key");
  }
}
