package io.s2i.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How {@code s2i serve} runs.
 *
 * @param host address to listen on (loopback unless {@code allowRemote})
 * @param port port to listen on (0 picks a free one)
 * @param allowRemote whether a non-loopback address may be used
 * @param dataDir where the embedded database, the token, uploads and work directories live
 * @param database a PostgreSQL JDBC URL; empty for the embedded database
 * @param maxConcurrent builds at once on this server
 * @param replicaId this server's id among servers sharing a database; empty: host name and port
 * @param lease how long a build's claim lasts without renewal
 * @param rerunInterrupted queue builds interrupted by a dead server again (else: Error)
 * @param maxUploadBytes the largest binary input accepted
 * @param clientConfig where to write the client configuration (server URL and token), if anywhere
 */
public record ServerSettings(String host, int port, boolean allowRemote, Path dataDir, Optional<String> database,
    int maxConcurrent, Optional<String> replicaId, Duration lease, boolean rerunInterrupted, long maxUploadBytes,
    Optional<Path> clientConfig) {

  /** The defaults for {@code dataDir}: 127.0.0.1:8080, embedded database, one build per core. */
  public static ServerSettings defaults(Path dataDir) {
    return new ServerSettings("127.0.0.1", 8080, false, dataDir, Optional.empty(),
        Runtime.getRuntime().availableProcessors(), Optional.empty(), Duration.ofSeconds(30), false,
        2L * 1024 * 1024 * 1024, Optional.empty());
  }
}
