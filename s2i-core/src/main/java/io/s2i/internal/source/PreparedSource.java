package io.s2i.internal.source;

import io.s2i.api.SourceInfo;
import java.nio.file.Path;

/**
 * A source ready to be packed: its root on the host (after the context dir is applied) and what
 * is known of its origin.
 */
public record PreparedSource(Path root, SourceInfo info) {}
