package io.s2i.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * TLS material from the PEM files Docker and openssl write: CA bundles, and client certificates
 * with their keys in any of openssl's forms (PKCS#1 RSA, SEC1 EC, PKCS#8), which the JDK alone
 * does not read (Apache MINA sshd's PEM parsers, already here for git over ssh, do). Used for
 * registries' certs.d directories and for a Docker daemon's {@code --tlsverify}.
 */
public final class TlsFiles {
  private TlsFiles() {}

  /** A client certificate (its chain) and the file of its private key. */
  public record ClientCertificate(Path certificate, Path key) {}

  /**
   * The X.509 trust manager of the certificates in {@code caFiles}, or of the JVM's trust store
   * (on Debian, the system's ca-certificates) when the list is empty.
   *
   * @throws IOException when a file cannot be read or holds no certificate
   */
  public static X509TrustManager trustManager(List<Path> caFiles) throws IOException, GeneralSecurityException {
    if (caFiles.isEmpty()) {
      return x509TrustManager(null);
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    int n = 0;
    for (Path ca : caFiles) {
      try (InputStream in = Files.newInputStream(ca)) {
        Iterator<? extends Certificate> certs = x509.generateCertificates(in).iterator();
        if (!certs.hasNext()) {
          throw new CertificateException(ca + " holds no certificate");
        }
        while (certs.hasNext()) {
          store.setCertificateEntry("ca-" + n++, certs.next());
        }
      }
    }
    return x509TrustManager(store);
  }

  /**
   * A trust manager that accepts every server certificate, for Docker's {@code --tls} without
   * {@code --tlsverify}. Being an extended one, the JDK checks no host name through it either.
   */
  public static X509TrustManager trustingEveryone() {
    return new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
  }

  /** The trust manager of {@code store}, or of the JVM's trust store for null. */
  private static X509TrustManager x509TrustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    for (TrustManager t : f.getTrustManagers()) {
      if (t instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /**
   * Key managers offering the given client certificates.
   *
   * @throws IOException when a file cannot be read or holds no certificate or key
   */
  public static KeyManager[] keyManagers(List<ClientCertificate> clients) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = new char[0];
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    int n = 0;
    for (ClientCertificate client : clients) {
      List<Certificate> chain = new ArrayList<>();
      try (InputStream in = Files.newInputStream(client.certificate())) {
        chain.addAll(x509.generateCertificates(in));
      }
      if (chain.isEmpty()) {
        throw new CertificateException(client.certificate() + " holds no certificate");
      }
      KeyPair pair;
      try (InputStream in = Files.newInputStream(client.key())) {
        Iterable<KeyPair> found = SecurityUtils.loadKeyPairIdentities(null,
            NamedResource.ofName(client.key().toString()), in, FilePasswordProvider.EMPTY);
        Iterator<KeyPair> pairs = found == null ? java.util.Collections.emptyIterator() : found.iterator();
        if (!pairs.hasNext()) {
          throw new IOException(client.key() + " holds no private key");
        }
        pair = pairs.next();
      }
      store.setKeyEntry("client-" + n++, pair.getPrivate(), password, chain.toArray(Certificate[]::new));
    }
    KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    f.init(store, password);
    return f.getKeyManagers();
  }
}
