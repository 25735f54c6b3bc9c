package io.s2i.service.model;

import java.util.List;

/**
 * The body of a start-build call ({@code POST /api/v1/buildconfigs/NAME/instantiate}).
 *
 * @param env {@code NAME=VALUE} overrides
 * @param commit commit or ref to build
 * @param incremental force an incremental (true) or clean (false) build
 * @param noCache build even when nothing changed
 */
public record StartBuildRequest(List<EnvEntry> env, String commit, Boolean incremental, Boolean noCache) {}
