package io.s2i.service.store;

import io.s2i.service.model.Build;
import io.s2i.service.model.BuildConfig;
import java.time.Instant;

/**
 * A build as the store keeps it: what answers show, plus what only the server uses.
 *
 * @param id the row id
 * @param build the build
 * @param config the configuration as it was when the build was queued
 * @param uploadPath the uploaded binary input on disk, or null
 * @param uploadReplica the server that holds the upload (only it can run the build), or null
 * @param owner the server running it, or null
 * @param leaseUntil until when the owner's lease holds
 * @param attempt 1, plus one per re-run after an interruption
 */
public record StoredBuild(long id, Build build, BuildConfig config, String uploadPath,
    String uploadReplica, String owner, Instant leaseUntil, int attempt) {}
