package io.s2i.service.executor;

import io.s2i.service.store.StoredBuild;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One build for an executor.
 *
 * @param build the build and its configuration as it was queued
 * @param upload the binary input, for binary builds
 * @param workDir a private directory for this build, removed by the caller afterwards
 */
public record BuildJob(StoredBuild build, Optional<Path> upload, Path workDir) {}
