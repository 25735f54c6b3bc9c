package io.s2i.engine.docker;

import io.s2i.internal.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * TLS to a Docker daemon on TCP, as upstream s2i and the docker CLI set it up. TLS is on when
 * {@value #TLS} or {@value #TLS_VERIFY} is non-empty (the CLI's {@code --tls}, {@code --tlsverify});
 * the daemon's certificate is checked only with {@value #TLS_VERIFY}: against the CA file when
 * there is one, else the JVM's trust store. The CA, client certificate and key are
 * {@code ca.pem}, {@code cert.pem} and {@code key.pem} in {@value #CERT_PATH} (else
 * {@code $DOCKER_CONFIG}, else {@code ~/.docker}), each used only when it exists, as upstream;
 * {@value #CA_FILE}, {@value #CERT_FILE} and {@value #KEY_FILE} name files elsewhere (the CLI's
 * {@code --ca}, {@code --cert}, {@code --key}).
 *
 * <p>One difference from upstream: without {@value #TLS_VERIFY} no CA is checked, but docker-java's
 * transport still checks that the certificate names the host (upstream checks nothing).
 *
 * @param verify whether the daemon's certificate is checked
 * @param ca the CA file, when there is one
 * @param certificate the client certificate, when there is one
 * @param key the client certificate's key, when there is one
 */
record DockerTls(boolean verify, Optional<Path> ca, Optional<Path> certificate, Optional<Path> key) {
  static final String TLS = "DOCKER_TLS";
  static final String TLS_VERIFY = "DOCKER_TLS_VERIFY";
  static final String CERT_PATH = "DOCKER_CERT_PATH";
  static final String CA_FILE = "S2I_DOCKER_TLS_CA";
  static final String CERT_FILE = "S2I_DOCKER_TLS_CERT";
  static final String KEY_FILE = "S2I_DOCKER_TLS_KEY";

  /** The TLS settings of {@code env}; empty when TLS is off. */
  static Optional<DockerTls> fromEnvironment(Map<String, String> env) {
    boolean verify = set(env, TLS_VERIFY);
    if (!verify && !set(env, TLS)) {
      return Optional.empty();
    }
    String home = nonEmpty(env.get("HOME")).orElse(System.getProperty("user.home"));
    Path dir = Path.of(nonEmpty(env.get(CERT_PATH))
        .or(() -> nonEmpty(env.get("DOCKER_CONFIG")))
        .orElse(Path.of(home, ".docker").toString()));
    return Optional.of(new DockerTls(verify,
        file(env, CA_FILE, dir.resolve("ca.pem")),
        file(env, CERT_FILE, dir.resolve("cert.pem")),
        file(env, KEY_FILE, dir.resolve("key.pem"))));
  }

  /** The context for the client: trust as described above, and the client certificate if both files exist. */
  SSLContext context() throws IOException, GeneralSecurityException {
    TrustManager trust = verify ? TlsFiles.trustManager(ca.stream().toList()) : TlsFiles.trustingEveryone();
    KeyManager[] keys = certificate.isPresent() && key.isPresent()
        ? TlsFiles.keyManagers(List.of(new TlsFiles.ClientCertificate(certificate.get(), key.get())))
        : null;
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, new TrustManager[] {trust}, null);
    return context;
  }

  /** How this was set up, for messages: which checks and which files. */
  String describe() {
    return (verify ? "TLS verifying the daemon against " + ca.map(Path::toString).orElse("the JVM's trust store")
        : "TLS without verifying the daemon")
        + certificate.filter(c -> key.isPresent()).map(c -> ", client certificate " + c).orElse(", no client certificate");
  }

  private static Optional<Path> file(Map<String, String> env, String variable, Path fallback) {
    Optional<Path> named = nonEmpty(env.get(variable)).map(Path::of);
    return named.isPresent() ? named : Optional.of(fallback).filter(Files::isRegularFile);
  }

  private static boolean set(Map<String, String> env, String variable) {
    return nonEmpty(env.get(variable)).isPresent();
  }

  private static Optional<String> nonEmpty(String value) {
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }
}
