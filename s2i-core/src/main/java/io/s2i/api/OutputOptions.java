package io.s2i.api;

/**
 * What the output image keeps and when a build may be skipped.
 *
 * @param keepInputs keep the unpacked sources, scripts and artifacts ({@code <destination>/src},
 *     {@code scripts}, {@code artifacts}) in the image, as upstream does; by default they are
 *     removed before the commit, so they take no space in the image
 * @param reuseUnchanged when the image already carrying the tag was built from the same inputs
 *     (source tree, builder image, scripts, environment, options), keep it instead of building
 *     again; {@code --no-cache} turns this off
 */
public record OutputOptions(boolean keepInputs, boolean reuseUnchanged) {
  /** The defaults: inputs removed, unchanged builds reused. */
  public static OutputOptions defaults() {
    return new OutputOptions(false, true);
  }
}
