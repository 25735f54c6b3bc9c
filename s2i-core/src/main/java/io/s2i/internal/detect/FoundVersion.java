package io.s2i.internal.detect;

/**
 * A version a source records.
 *
 * @param version normalised ({@link Versions#normalise})
 * @param source where it was read, e.g. {@code package.json engines.node}
 * @param constraint the text as written
 */
record FoundVersion(String version, String source, String constraint) {}
