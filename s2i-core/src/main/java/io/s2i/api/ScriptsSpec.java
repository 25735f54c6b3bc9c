package io.s2i.api;

import java.util.Optional;

/**
 * Where scripts come from and where inputs are unpacked.
 *
 * @param scriptsUrl highest-priority scripts location ({@code --scripts-url})
 * @param imageScriptsUrl scripts location inside the image, used by Dockerfile generation
 * @param destination directory the input tar is unpacked into, when overridden
 */
public record ScriptsSpec(
    Optional<String> scriptsUrl, Optional<String> imageScriptsUrl, Optional<String> destination) {

  /** Upstream's default {@code --image-scripts-url}. */
  public static final String DEFAULT_IMAGE_SCRIPTS_URL = "image:///usr/libexec/s2i";

  public ScriptsSpec {
    scriptsUrl = scriptsUrl.filter(s -> !s.isBlank());
    imageScriptsUrl = imageScriptsUrl.filter(s -> !s.isBlank());
    destination = destination.filter(s -> !s.isBlank());
  }

  /** Every default. */
  public static ScriptsSpec defaults() {
    return new ScriptsSpec(Optional.empty(), Optional.empty(), Optional.empty());
  }
}
