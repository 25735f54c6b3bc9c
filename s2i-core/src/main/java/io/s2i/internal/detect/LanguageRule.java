package io.s2i.internal.detect;

import java.util.List;
import java.util.Optional;

/**
 * One detector: a language, the files at the top of a source that prove it (any one is enough, as
 * in oc new-app) and the places its version is read from, first found wins.
 *
 * @param language the language's name
 * @param markers file names, or {@code *.ext} globs
 * @param versions where the version is recorded, in order of preference
 */
record LanguageRule(String language, List<String> markers, List<VersionReader> versions) {

  /** The first marker present, or empty when the language is not found. */
  Optional<String> prove(TopDirectory top) {
    for (String marker : markers) {
      Optional<String> hit = top.find(marker);
      if (hit.isPresent()) {
        return hit;
      }
    }
    return Optional.empty();
  }

  /** The version the source asks for, from the first place that records one. */
  Optional<FoundVersion> version(TopDirectory top) {
    for (VersionReader reader : versions) {
      Optional<FoundVersion> v = reader.read(language, top);
      if (v.isPresent()) {
        return v;
      }
    }
    return Optional.empty();
  }

  /** {@code Gemfile, Rakefile, config.ru (ruby)}, for messages. */
  String describe() {
    return String.join(", ", markers) + " (" + language + ")";
  }
}
