package io.s2i.service.store;

import java.time.Instant;

/**
 * One line of a build's log.
 *
 * @param seq its position in the log, from 1
 * @param time when it was written
 * @param text the line, secrets already masked
 */
public record LogLine(long seq, Instant time, String text) {}
