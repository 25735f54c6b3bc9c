package io.s2i.testing.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The second Docker daemon that {@code scripts/ensure-tls-engine.sh} starts on a loopback TCP port
 * with TLS and client certificates: the ITs of the docker-java transport (TLS flags, and every
 * engine operation over TCP) run against it. Whether it is there is decided by
 * {@link EngineAvailability}, like every other test prerequisite.
 *
 * @param host its endpoint, {@code tcp://127.0.0.1:PORT}
 * @param certs the directory of {@code ca.pem}, {@code cert.pem}, {@code key.pem} (a client
 *     certificate it accepts) and {@code other-ca.pem} (a CA that signed nothing it has)
 */
public record TlsEngine(String host, Path certs) {
  /** Where the script keeps its state; {@code S2I_TLS_ENGINE_DIR} names another. */
  public static Path stateDir() {
    String dir = System.getenv("S2I_TLS_ENGINE_DIR");
    return Path.of(dir == null || dir.isBlank() ? "/var/lib/s2i-java-tls-engine" : dir);
  }

  /** The daemon, or the calling test skipped or failed (see {@link EngineAvailability}). */
  public static TlsEngine require() {
    Path env = stateDir().resolve("engine.env");
    TlsEngine engine = null;
    if (Files.isRegularFile(env)) {
      Properties p = new Properties();
      try (var in = Files.newInputStream(env)) {
        p.load(in);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + env, e);
      }
      engine = new TlsEngine(p.getProperty("DOCKER_HOST"), Path.of(p.getProperty("CERTS")));
    }
    EngineAvailability.requireOrSkip(engine != null && engine.docker("version", "--format", "{{.Server.Version}}")
        .exitCode() == 0, "the TLS Docker daemon does not answer: scripts/ensure-tls-engine.sh starts it");
    return engine;
  }

  public Path ca() {
    return certs.resolve("ca.pem");
  }

  public Path cert() {
    return certs.resolve("cert.pem");
  }

  public Path key() {
    return certs.resolve("key.pem");
  }

  /** A CA that signed nothing the daemon has. */
  public Path otherCa() {
    return certs.resolve("other-ca.pem");
  }

  /** {@code base} with the variables that make the Docker engine reach this daemon with TLS verified. */
  public Map<String, String> environment(Map<String, String> base) {
    Map<String, String> env = new HashMap<>(base);
    env.put("DOCKER_HOST", host);
    env.put("DOCKER_TLS_VERIFY", "1");
    env.put("DOCKER_CERT_PATH", certs.toString());
    return env;
  }

  /** s2i's global flags for this daemon with TLS verified and the client certificate. */
  public List<String> s2iFlags() {
    return List.of("-U", host, "--tlsverify", "--ca", ca().toString(), "--cert", cert().toString(),
        "--key", key().toString());
  }

  /** A docker CLI result. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** Runs the docker CLI against this daemon. */
  public Result docker(String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", host, "--tlsverify", "--tlscacert", ca().toString(),
        "--tlscert", cert().toString(), "--tlskey", key().toString()));
    cmd.addAll(Arrays.asList(args));
    return run(cmd);
  }

  /**
   * Copies images from the machine's main daemon ({@code docker save | docker load}) unless this
   * one has them already; set-up for tests, not the code under test.
   */
  public void copyFromMainDaemon(String... refs) {
    List<String> missing = Arrays.stream(refs).filter(r -> docker("image", "inspect", r).exitCode() != 0).toList();
    if (missing.isEmpty()) {
      return;
    }
    String tls = "-H " + host + " --tlsverify --tlscacert " + ca() + " --tlscert " + cert() + " --tlskey " + key();
    Result r = run(List.of("bash", "-c", "set -o pipefail; docker save " + String.join(" ", missing)
        + " | docker " + tls + " load -q"));
    if (r.exitCode() != 0) {
      throw new IllegalStateException("copying " + missing + " to the TLS daemon failed: " + r.stderr());
    }
  }

  /** Ids of this daemon's containers, running or not. */
  public List<String> containerIds() {
    return docker("ps", "-aq", "--no-trunc").stdout().lines().filter(l -> !l.isBlank()).toList();
  }

  /** Ids of this daemon's untagged images. */
  public List<String> danglingImages() {
    return docker("images", "-q", "--no-trunc", "-f", "dangling=true").stdout().lines()
        .filter(l -> !l.isBlank()).toList();
  }

  private static Result run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      var err = new java.util.concurrent.CompletableFuture<byte[]>();
      Thread t = new Thread(() -> {
        try {
          err.complete(p.getErrorStream().readAllBytes());
        } catch (IOException e) {
          err.completeExceptionally(e);
        }
      });
      t.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
          new String(err.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
