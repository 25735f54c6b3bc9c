package io.s2i.api;

import java.util.Optional;

/**
 * An incremental build: artifacts saved from a previous image are restored before assemble.
 *
 * @param previousImage image to take artifacts from; empty means the output tag
 * @param pullPolicy pull policy for the previous image
 * @param removePreviousImage remove the image that carried the tag before, after success
 */
public record IncrementalSpec(
    Optional<ImageRef> previousImage, PullPolicy pullPolicy, boolean removePreviousImage) {}
