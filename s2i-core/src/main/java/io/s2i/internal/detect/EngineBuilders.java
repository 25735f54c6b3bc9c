package io.s2i.internal.detect;

import io.s2i.engine.ImageSummary;
import io.s2i.internal.contract.S2iLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The builder images an engine has, with the languages they build, read from their labels as
 * OpenShift reads image streams: an image is a builder when it has
 * {@code io.openshift.s2i.scripts-url} (oc's builder test) or the word {@code builder} in
 * {@code io.openshift.tags} (or KubeSphere's {@code io.kubesphere.tags}); the other words of those
 * tags name languages, either as {@code language:version} (image streams' {@code supports} form),
 * as sclorg's images write them ({@code python311}, {@code nodejs-20}: a known language followed by
 * its version without dots) or as the bare language.
 */
public final class EngineBuilders {
  private static final Pattern GLUED = Pattern.compile("^(.+?)-?(\\d[\\d.]*)$");

  private EngineBuilders() {}

  /**
   * A builder image and what it builds.
   *
   * @param image its first name
   * @param languages each language with the versions it provides (empty: any)
   */
  public record Builder(String image, Map<String, List<String>> languages) {}

  /** The builders among {@code images}. */
  public static List<Builder> of(List<ImageSummary> images) {
    List<Builder> out = new ArrayList<>();
    for (ImageSummary image : images) {
      if (image.names().isEmpty()) {
        continue;
      }
      List<String> words = new ArrayList<>();
      for (String key : List.of(S2iLabels.OPENSHIFT_TAGS, S2iLabels.KUBESPHERE_TAGS)) {
        String tags = image.labels().get(key);
        if (tags != null) {
          for (String w : tags.split(",")) {
            if (!w.isBlank()) {
              words.add(w.strip().toLowerCase(Locale.ROOT));
            }
          }
        }
      }
      boolean builder = words.contains("builder") || image.labels().containsKey(S2iLabels.SCRIPTS_URL)
          || image.labels().containsKey(S2iLabels.LEGACY_SCRIPTS_URL);
      if (!builder) {
        continue;
      }
      Map<String, List<String>> languages = new LinkedHashMap<>();
      for (String w : words) {
        languageOf(w).ifPresent(lv -> {
          List<String> versions = languages.computeIfAbsent(lv[0], k -> new ArrayList<>());
          if (lv[1] != null && !versions.contains(lv[1])) {
            versions.add(lv[1]);
          }
        });
      }
      if (!languages.isEmpty()) {
        out.add(new Builder(image.names().stream().sorted().findFirst().orElseThrow(), languages));
      }
    }
    return out;
  }

  /** {@code {language, version-or-null}} for one tag word; empty when it names no language. */
  static Optional<String[]> languageOf(String word) {
    if (word.equals("builder") || word.equals("hidden")) {
      return Optional.empty();
    }
    int colon = word.indexOf(':');
    if (colon > 0) {
      String language = LanguageRules.canonical(word.substring(0, colon)).orElse(null);
      String version = word.substring(colon + 1).strip();
      return language == null ? Optional.empty()
          : Optional.of(new String[] {language, version.isEmpty() ? null : version});
    }
    Optional<String> bare = LanguageRules.canonical(word);
    if (bare.isPresent()) {
      return Optional.of(new String[] {bare.get(), null});
    }
    Matcher m = GLUED.matcher(word);
    if (m.matches()) {
      Optional<String> language = LanguageRules.canonical(m.group(1));
      if (language.isPresent()) {
        return Optional.of(new String[] {language.get(), m.group(2)});
      }
    }
    return Optional.empty();
  }
}
