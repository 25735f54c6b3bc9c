package io.s2i.testing.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real registry for tests: Debian's {@code docker-registry} (distribution 2.x) started on a free
 * port of 127.0.0.1, plain HTTP or with TLS (a CA and server certificate made by {@code openssl}
 * for the test) and htpasswd authentication ({@code htpasswd -Bbn}). For TLS the CA is also
 * installed in {@code /etc/docker/certs.d/127.0.0.1:PORT/} so the Docker daemon trusts it;
 * {@link #close()} stops the registry and removes that directory and all files.
 */
public final class RegistryServer implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final boolean tls;
  private final Optional<String[]> user;
  private Process process;
  private Path daemonCerts;
  /** For a registry named by host: its name, and whether it asks clients for a certificate. */
  private Optional<String> hostName = Optional.empty();
  private boolean clientCertificates;

  private RegistryServer(Path dir, int port, boolean tls, Optional<String[]> user) {
    this.dir = dir;
    this.port = port;
    this.tls = tls;
    this.user = user;
  }

  /** Whether the programs this class needs are installed. */
  public static boolean available() {
    return onPath("docker-registry") && onPath("openssl") && onPath("htpasswd") && onPath("curl");
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  /** A plain-HTTP registry without authentication. */
  public static RegistryServer plain(Path dir) throws IOException, InterruptedException {
    RegistryServer r = new RegistryServer(dir, freePort(), false, Optional.empty());
    r.start();
    return r;
  }

  /** A TLS registry that accepts only {@code username}/{@code password}. */
  public static RegistryServer tlsWithAuth(Path dir, String username, String password)
      throws IOException, InterruptedException {
    RegistryServer r = new RegistryServer(dir, freePort(), true, Optional.of(new String[] {username, password}));
    r.start();
    return r;
  }

  /**
   * A TLS registry on 127.0.0.1 whose certificate, signed by a CA of the test, names
   * {@code hostName} (and 127.0.0.1), without authentication; with {@code requireClientCertificate}
   * it accepts only clients with a certificate signed by that CA ({@link #clientCertificate()},
   * {@link #clientKey()}). Nothing is installed for the Docker daemon: the client under test is
   * given {@link #caCertificate()} itself, and must resolve {@code hostName} to 127.0.0.1.
   */
  public static RegistryServer tlsNamed(Path dir, String hostName, boolean requireClientCertificate)
      throws IOException, InterruptedException {
    RegistryServer r = new RegistryServer(dir, freePort(), true, Optional.empty());
    r.hostName = Optional.of(hostName);
    r.clientCertificates = requireClientCertificate;
    r.start();
    return r;
  }

  /** {@code HOST:PORT} of a registry made by {@link #tlsNamed}. */
  public String namedAddress() {
    return hostName.orElseThrow() + ":" + port;
  }

  /** The client certificate (PEM) of a registry made by {@link #tlsNamed} with client certificates. */
  public Path clientCertificate() {
    return dir.resolve("client.cert");
  }

  /** The client certificate's key: an EC key in openssl's traditional (SEC 1) PEM form. */
  public Path clientKey() {
    return dir.resolve("client.key");
  }

  /** {@code 127.0.0.1:PORT}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The CA certificate of a TLS registry. */
  public Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  private void start() throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("storage"));
    StringBuilder yaml = new StringBuilder()
        .append("version: 0.1\n")
        .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("storage")).append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
    if (tls) {
      makeCertificates();
      yaml.append("  tls:\n    certificate: ").append(dir.resolve("server.crt"))
          .append("\n    key: ").append(dir.resolve("server.key")).append('\n');
      if (clientCertificates) {
        yaml.append("    clientcas:\n      - ").append(caCertificate()).append('\n');
      }
      if (hostName.isEmpty()) {
        daemonCerts = Path.of("/etc/docker/certs.d", address());
        Files.createDirectories(daemonCerts);
        Files.copy(caCertificate(), daemonCerts.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (user.isPresent()) {
      String line = exec("htpasswd", "-Bbn", user.get()[0], user.get()[1]).strip();
      Files.writeString(dir.resolve("htpasswd"), line + "\n");
      yaml.append("auth:\n  htpasswd:\n    realm: s2i-test\n    path: ").append(dir.resolve("htpasswd")).append('\n');
    }
    Path config = dir.resolve("config.yml");
    Files.writeString(config, yaml.toString());
    process = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("registry.log").toFile())
        .start();
    for (int i = 0; i < 100; i++) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IOException("docker-registry did not listen on " + address());
  }

  private void makeCertificates() throws IOException, InterruptedException {
    Path ext = dir.resolve("san.ext");
    Files.writeString(ext, "subjectAltName=" + hostName.map(h -> "DNS:" + h + ",").orElse("")
        + "IP:127.0.0.1\nbasicConstraints=CA:FALSE\n");
    exec("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=s2i-test-ca", "-keyout", dir.resolve("ca.key").toString(),
        "-out", caCertificate().toString());
    exec("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.csr").toString());
    exec("openssl", "x509", "-req", "-in", dir.resolve("server.csr").toString(),
        "-CA", caCertificate().toString(), "-CAkey", dir.resolve("ca.key").toString(),
        "-CAcreateserial", "-days", "2", "-extfile", ext.toString(),
        "-out", dir.resolve("server.crt").toString());
    if (clientCertificates) {
      exec("openssl", "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", clientKey().toString());
      exec("openssl", "req", "-new", "-key", clientKey().toString(), "-subj", "/CN=s2i-test-client",
          "-out", dir.resolve("client.csr").toString());
      Path clientExt = dir.resolve("client.ext");
      Files.writeString(clientExt, "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
      exec("openssl", "x509", "-req", "-in", dir.resolve("client.csr").toString(),
          "-CA", caCertificate().toString(), "-CAkey", dir.resolve("ca.key").toString(),
          "-CAcreateserial", "-days", "2", "-extfile", clientExt.toString(),
          "-out", clientCertificate().toString());
    }
  }

  /**
   * The digest the registry holds for {@code repository:tag} (its {@code Docker-Content-Digest}
   * header), asked with curl; empty when it has no such manifest.
   */
  public Optional<String> manifestDigest(String repository, String tag) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-I", "-H",
        "Accept: application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json"));
    if (tls) {
      cmd.addAll(List.of("--cacert", caCertificate().toString()));
    }
    if (clientCertificates) {
      cmd.addAll(List.of("--cert", clientCertificate().toString(), "--key", clientKey().toString()));
    }
    user.ifPresent(u -> cmd.addAll(List.of("-u", u[0] + ":" + u[1])));
    cmd.add((tls ? "https://" : "http://") + address() + "/v2/" + repository + "/manifests/" + tag);
    String out = exec(cmd.toArray(String[]::new));
    if (!out.startsWith("HTTP/1.1 200") && !out.startsWith("HTTP/2 200")) {
      return Optional.empty();
    }
    return out.lines().filter(l -> l.toLowerCase().startsWith("docker-content-digest:"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst();
  }

  /** Stops the registry (it can be asked about no more); files stay until {@link #close()}. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void close() throws InterruptedException, IOException {
    stop();
    if (daemonCerts != null) {
      try (var files = Files.list(daemonCerts)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(daemonCerts);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static String exec(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", Arrays.asList(cmd)) + " failed: "
          + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
