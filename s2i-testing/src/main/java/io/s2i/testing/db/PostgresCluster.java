package io.s2i.testing.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster for tests: {@code initdb} in a temporary directory, {@code pg_ctl
 * start} on a free loopback port (and a private socket directory), trust authentication for its
 * one superuser, stopped and deleted by {@link #close}. PostgreSQL refuses to run as root, so as
 * root the cluster runs as {@code nobody}. The binaries come from Debian's postgresql package
 * ({@code scripts/ensure-postgres.sh} installs it); without them the test is skipped, or fails when
 * {@code s2i.it.required} is set (CI).
 */
public final class PostgresCluster implements AutoCloseable {
  private static final String USER = "s2i";
  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asNobody;

  private PostgresCluster(Path bin, Path dir, int port, boolean asNobody) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asNobody = asNobody;
  }

  /** The directory of initdb, pg_ctl and postgres, when installed. */
  public static Optional<Path> binaries() {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.sorted(Comparator.reverseOrder()).map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Starts a new cluster, or skips (fails, in CI) the calling test when PostgreSQL is not installed. */
  public static PostgresCluster start() throws IOException, InterruptedException {
    Optional<Path> bin = binaries();
    if (bin.isEmpty()) {
      String why = "PostgreSQL is not installed: run scripts/ensure-postgres.sh (scripts/test.sh does)";
      if (Boolean.getBoolean("s2i.it.required")) {
        Assertions.fail(why);
      }
      Assumptions.abort(why);
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "s2i-pg-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    if (root) {
      run(List.of("chown", "nobody:nogroup", dir.toString()), false, dir);
    }
    int port = freePort();
    PostgresCluster cluster = new PostgresCluster(bin.get(), dir, port, root);
    try {
      Path data = dir.resolve("data");
      cluster.pg(List.of(bin.get().resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
          "--auth=trust", "-E", "UTF8", "--no-sync", "-N"));
      cluster.pg(List.of(bin.get().resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
          dir.resolve("log").toString(), "-w", "-t", "60", "-o",
          "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off -c max_connections=200",
          "start"));
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** A JDBC URL of the cluster's {@code postgres} database. */
  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  /** A JDBC URL of one of its databases. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
  }

  /** Creates a database. */
  public String createDatabase(String name) throws IOException, InterruptedException {
    pg(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", USER, name));
    return jdbcUrl(name);
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  private void pg(List<String> command) throws IOException, InterruptedException {
    run(command, asNobody, dir);
  }

  private static void run(List<String> command, boolean asNobody, Path dir) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (asNobody) {
      cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    }
    cmd.addAll(command);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("command failed: " + String.join(" ", command) + ": " + out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops the cluster at once and deletes its directory. */
  @Override
  public void close() {
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
            "-w", "stop"));
      }
    } catch (IOException | InterruptedException e) {
      // deleted below all the same
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left
    }
  }
}
