package io.s2i.service.queue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How this server runs builds.
 *
 * @param replicaId this server's id in the database; stable across restarts of the same server, so
 *     that a restarted server settles its own interrupted builds at once
 * @param maxConcurrent at most this many builds at once on this server
 * @param lease how long a claim holds without renewal; a server that died loses its builds after it
 * @param rerunInterrupted queue interrupted builds again instead of marking them Error
 * @param workDir parent of the builds' private directories
 * @param singleProcess the database is this process's alone (embedded): every running build found at
 *     start was interrupted
 */
public record QueueSettings(String replicaId, int maxConcurrent, Duration lease, boolean rerunInterrupted,
    Path workDir, boolean singleProcess) {}
