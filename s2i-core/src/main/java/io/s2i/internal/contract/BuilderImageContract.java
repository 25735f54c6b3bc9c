package io.s2i.internal.contract;

import io.s2i.api.EventSink;
import io.s2i.engine.ImageInfo;
import java.util.List;
import java.util.Optional;

/**
 * Typed view of a builder (or runtime) image's labels and environment, with upstream's fallbacks
 * to deprecated spellings. Deprecation warnings go to the event sink when a value is read.
 */
public final class BuilderImageContract {
  private final String imageName;
  private final ImageInfo image;
  private final EventSink events;

  public BuilderImageContract(String imageName, ImageInfo image, EventSink events) {
    this.imageName = imageName;
    this.image = image;
    this.events = events;
  }

  /** The inspected image. */
  public ImageInfo image() {
    return image;
  }

  /** The name the image was asked for by. */
  public String imageName() {
    return imageName;
  }

  /**
   * Where the image keeps its scripts: the scripts-url label, else the deprecated label, else the
   * deprecated {@code STI_SCRIPTS_URL} variable.
   */
  public Optional<String> scriptsUrl() {
    Optional<String> url = withFallbacks(S2iLabels.SCRIPTS_URL, S2iLabels.LEGACY_SCRIPTS_URL,
        S2iLabels.LEGACY_SCRIPTS_URL_ENV);
    if (url.isEmpty()) {
      events.info("warning: Image " + imageName + " does not contain a value for the "
          + S2iLabels.SCRIPTS_URL + " label");
    }
    return url;
  }

  /** Where inputs are unpacked: label, deprecated label, deprecated variable, or empty. */
  public Optional<String> destination() {
    return withFallbacks(S2iLabels.DESTINATION, S2iLabels.LEGACY_DESTINATION,
        S2iLabels.LEGACY_DESTINATION_ENV);
  }

  /** A label's value, else its deprecated label's, else its deprecated variable's, with upstream's warnings. */
  private Optional<String> withFallbacks(String label, String legacyLabel, String legacyEnv) {
    Optional<String> value = image.label(label);
    if (value.isPresent()) {
      return value;
    }
    value = image.label(legacyLabel);
    if (value.isPresent()) {
      events.info("warning: Image " + imageName + " uses deprecated label '" + legacyLabel
          + "', please migrate it to " + label + " instead!");
      return value;
    }
    value = image.envValue(legacyEnv);
    value.ifPresent(v -> events.info("warning: Image " + imageName
        + " uses deprecated environment variable " + legacyEnv + ", please migrate it to "
        + label + " label instead!"));
    return value;
  }

  /** The assemble-user label, when set. */
  public Optional<String> assembleUser() {
    return image.label(S2iLabels.ASSEMBLE_USER);
  }

  /** The image's own {@code USER}; empty means root. */
  public String user() {
    return image.user();
  }

  /** The image's ONBUILD triggers. */
  public List<String> onBuild() {
    return image.onBuild();
  }

  /** The assemble-runtime-user label, when set. */
  public Optional<String> assembleRuntimeUser() {
    return image.label(S2iLabels.ASSEMBLE_RUNTIME_USER);
  }

  /** The assemble-input-files label, when set. */
  public Optional<String> assembleInputFiles() {
    return image.label(S2iLabels.ASSEMBLE_INPUT_FILES);
  }
}
