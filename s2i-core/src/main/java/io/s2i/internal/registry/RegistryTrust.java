package io.s2i.internal.registry;

import io.s2i.internal.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates a registry is trusted by, as Docker and skopeo find them: every {@code *.crt}
 * in {@code /etc/docker/certs.d/HOST[:PORT]/} is a CA trusted beside the JVM's trust store (on
 * Debian, the system's ca-certificates), and every {@code NAME.cert} with its {@code NAME.key} is
 * a client certificate offered to the registry. {@code S2I_CERTS_DIR} names another root.
 */
final class RegistryTrust {
  /** The environment variable that replaces {@code /etc/docker/certs.d}. */
  static final String CERTS_DIR_ENV = "S2I_CERTS_DIR";
  private final Path root;

  RegistryTrust(Path root) {
    this.root = root;
  }

  /** The root from {@value #CERTS_DIR_ENV}, else {@code /etc/docker/certs.d}. */
  static RegistryTrust fromEnvironment() {
    String dir = System.getenv(CERTS_DIR_ENV);
    return new RegistryTrust(Path.of(dir == null || dir.isBlank() ? "/etc/docker/certs.d" : dir));
  }

  /** The directory of {@code registry} (host, or host:port as in the image reference). */
  Path directory(String registry) {
    return root.resolve(registry);
  }

  /**
   * An SSL context for {@code registry} when its directory holds certificates; empty when it holds
   * none (the JVM's defaults apply).
   *
   * @throws IOException when a file there cannot be read or is not a certificate or key
   */
  Optional<SSLContext> sslContext(String registry) throws IOException {
    Path dir = directory(registry);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    List<Path> cas = files(dir, ".crt");
    List<Path> clientCerts = files(dir, ".cert");
    if (cas.isEmpty() && clientCerts.isEmpty()) {
      return Optional.empty();
    }
    try {
      TrustManager[] trust = cas.isEmpty() ? null : new TrustManager[] {trustManager(cas)};
      KeyManager[] keys = clientCerts.isEmpty() ? null : keyManagers(dir, clientCerts);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null);
      return Optional.of(context);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the certificates in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
    }
  }

  /** The JVM's trust manager, and one for the CA files when it refuses a chain. */
  private static X509TrustManager trustManager(List<Path> cas) throws IOException, GeneralSecurityException {
    X509TrustManager extra = TlsFiles.trustManager(cas);
    X509TrustManager system = TlsFiles.trustManager(List.of());
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        system.checkClientTrusted(chain, authType);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
          extra.checkServerTrusted(chain, authType);
        } catch (CertificateException notByTheCaFiles) {
          system.checkServerTrusted(chain, authType);
        }
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        X509Certificate[] a = extra.getAcceptedIssuers();
        X509Certificate[] b = system.getAcceptedIssuers();
        X509Certificate[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
      }
    };
  }

  /** Key managers for the {@code NAME.cert}/{@code NAME.key} pairs ({@link TlsFiles}). */
  private static KeyManager[] keyManagers(Path dir, List<Path> clientCerts) throws IOException, GeneralSecurityException {
    List<TlsFiles.ClientCertificate> pairs = new ArrayList<>();
    for (Path cert : clientCerts) {
      String name = cert.getFileName().toString();
      Path key = dir.resolve(name.substring(0, name.length() - ".cert".length()) + ".key");
      if (!Files.isRegularFile(key)) {
        throw new IOException("client certificate " + cert + " has no key " + key.getFileName() + " beside it");
      }
      pairs.add(new TlsFiles.ClientCertificate(cert, key));
    }
    return TlsFiles.keyManagers(pairs);
  }
}
