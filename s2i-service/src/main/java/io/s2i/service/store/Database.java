package io.s2i.service.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool and schema of the service's database: an embedded H2 file under the data
 * directory, or a shared PostgreSQL server. The schema is brought up to date by Flyway's
 * migrations ({@code db/migration}) every time it opens.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final boolean embedded;

  private Database(HikariDataSource pool, boolean embedded) {
    this.pool = pool;
    this.embedded = embedded;
  }

  /** The embedded database in {@code dataDir} (one process at a time: H2 locks the file). */
  public static Database embedded(Path dataDir, int poolSize) {
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("state")
        + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    return open(url, poolSize, true);
  }

  /**
   * A PostgreSQL database at a JDBC URL ({@code jdbc:postgresql://host:port/db?user=...}).
   *
   * @throws IllegalArgumentException for another kind of URL
   */
  public static Database postgres(String jdbcUrl, int poolSize) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--database takes a PostgreSQL JDBC URL"
          + " (jdbc:postgresql://HOST:PORT/DB?user=U&password=P), not \"" + redact(jdbcUrl) + "\"");
    }
    return open(jdbcUrl, poolSize, false);
  }

  private static Database open(String url, int poolSize, boolean embedded) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(1);
    config.setPoolName("s2i-db");
    config.setConnectionTimeout(10_000);
    // A server that cannot reach its database at start says so at once instead of waiting.
    config.setInitializationFailTimeout(10_000);
    HikariDataSource pool = new HikariDataSource(config);
    try {
      Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new Database(pool, embedded);
  }

  /** The pool. */
  public DataSource dataSource() {
    return pool;
  }

  /** Whether this is the embedded, single-process database. */
  public boolean embedded() {
    return embedded;
  }

  /** A URL with any password taken out, for messages. */
  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
  }

  @Override
  public void close() {
    pool.close();
  }
}
