package io.s2i.api;

import java.nio.file.Path;

/**
 * The outcome of a successful Dockerfile request.
 *
 * @param dockerfile the Dockerfile written
 * @param context the directory to build it in: the Dockerfile's, holding {@code upload/}
 */
public record DockerfileResult(Path dockerfile, Path context) {}
