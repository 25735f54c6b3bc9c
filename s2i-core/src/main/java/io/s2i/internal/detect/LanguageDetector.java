package io.s2i.internal.detect;

import io.s2i.api.Detection.DetectedLanguage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs every detector of {@link LanguageRules} over the top directory of a source, as oc new-app
 * does (every hit kept, in the detectors' order; the first picks the builder), and reads the
 * version each language's files ask for.
 */
public final class LanguageDetector {
  private LanguageDetector() {}

  /** The languages found at the top of {@code dir}, in order. */
  public static List<DetectedLanguage> detect(Path dir) throws IOException {
    TopDirectory top = TopDirectory.of(dir);
    List<DetectedLanguage> found = new ArrayList<>();
    for (LanguageRule rule : LanguageRules.ALL) {
      Optional<String> marker = rule.prove(top);
      if (marker.isEmpty()) {
        continue;
      }
      Optional<FoundVersion> version = rule.version(top);
      found.add(new DetectedLanguage(rule.language(), marker.get(),
          version.map(FoundVersion::version), version.map(FoundVersion::source),
          version.map(FoundVersion::constraint)));
    }
    return found;
  }

  /** Every marker looked for, language by language, for the message when nothing is found. */
  public static List<String> markers() {
    List<String> out = new ArrayList<>();
    LanguageRules.ALL.forEach(rule -> out.add(rule.describe()));
    out.add("a .jar (java-binary), .war or .ear (jee), or an executable (binary) as a single-file source");
    return out;
  }
}
