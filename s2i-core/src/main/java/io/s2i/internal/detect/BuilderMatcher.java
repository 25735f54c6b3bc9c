package io.s2i.internal.detect;

import io.s2i.api.Detection.BuilderCandidate;
import io.s2i.api.Detection.BuilderChoice;
import io.s2i.api.Detection.DetectedLanguage;
import io.s2i.api.Detection.Match;
import io.s2i.api.Detection.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the builder image for a language, as oc new-app's weighted resolver does, with versions
 * added. Candidates rank, best first:
 * <ol>
 *   <li>an engine image providing exactly the version the source asks for;
 *   <li>a catalogue entry providing exactly that version;
 *   <li>an engine image of the language (another or no version);
 *   <li>the catalogue's default for the language;
 *   <li>another catalogue entry of the language.
 * </ol>
 * So the exact version beats the same language, and an image the engine already has beats a
 * catalogue entry of the same fit (nothing to pull, and it is the user's own). Two candidates of
 * the best rank is an error that names them (oc's {@code ErrMultipleMatches}), never a coin toss.
 */
public final class BuilderMatcher {
  /** Where an engine candidate comes from, in messages and JSON. */
  public static final String ENGINE = "engine";

  private BuilderMatcher() {}

  /** The outcome: a choice, or the problem that prevented one. */
  public record Outcome(Optional<BuilderChoice> choice, Optional<Problem> problem) {}

  /** Chooses among the catalogue's entries and the engine's builders for {@code language}. */
  public static Outcome choose(DetectedLanguage language, BuilderCatalogue catalogue,
      List<EngineBuilders.Builder> engine, String source) {
    List<BuilderCandidate> candidates = candidates(language, catalogue, engine);
    if (candidates.isEmpty()) {
      return new Outcome(Optional.empty(), Optional.of(new Problem(
          "no builder image for " + language.language() + " (" + language.marker() + ") in "
              + catalogue.origin() + (engine.isEmpty() ? "" : " or among the engine's builder images"),
          "name a builder image (s2i build " + source + " <image> <tag>), or add one for "
              + language.language() + " to a catalogue given with --builders FILE (or S2I_BUILDERS)",
          List.of())));
    }
    BuilderCandidate best = candidates.get(0);
    List<BuilderCandidate> tied = candidates.stream().filter(c -> rank(c) == rank(best)).toList();
    if (tied.size() > 1) {
      List<String> names = tied.stream().map(c -> c.image() + " (" + c.origin() + ")").toList();
      return new Outcome(Optional.empty(), Optional.of(new Problem(
          tied.size() + " builder images fit " + language.term() + " equally well ("
              + describe(best) + "): " + String.join(", ", names),
          "name the one to use (s2i build " + source + " <image> <tag>), or keep only one of them in a catalogue"
              + " given with --builders FILE (an entry with default: true wins for its language)",
          tied)));
    }
    String reason = reason(language, best);
    return new Outcome(Optional.of(new BuilderChoice(best.image(), language.language(), reason, best,
        candidates.subList(1, candidates.size()))), Optional.empty());
  }

  /** Every candidate for the language, best first; an image found twice keeps its best place. */
  static List<BuilderCandidate> candidates(DetectedLanguage language, BuilderCatalogue catalogue,
      List<EngineBuilders.Builder> engine) {
    Map<String, BuilderCandidate> byImage = new LinkedHashMap<>();
    for (EngineBuilders.Builder b : engine) {
      List<String> versions = b.languages().get(language.language());
      if (versions == null) {
        continue;
      }
      Optional<String> served = language.version().flatMap(v -> versions.stream()
          .filter(have -> Versions.serves(have, v)).findFirst());
      Match match = served.isPresent() ? Match.EXACT_VERSION : Match.SAME_LANGUAGE;
      Optional<String> shown = served.or(() -> versions.stream().findFirst());
      keepBest(byImage, new BuilderCandidate(b.image(), language.language(), shown, ENGINE, match));
    }
    for (BuilderCatalogue.Entry e : catalogue.entries()) {
      if (!e.language().equals(language.language())) {
        continue;
      }
      boolean exact = language.version().isPresent() && e.version().isPresent()
          && Versions.serves(e.version().get(), language.version().get());
      Match match = exact ? Match.EXACT_VERSION : e.isDefault() ? Match.LANGUAGE_DEFAULT : Match.SAME_LANGUAGE;
      keepBest(byImage, new BuilderCandidate(e.image(), e.language(), e.version(), catalogue.origin(), match));
    }
    List<BuilderCandidate> all = new ArrayList<>(byImage.values());
    all.sort(Comparator.comparingInt(BuilderMatcher::rank)
        .thenComparing(c -> c.version().map(Versions::components).orElse(List.of()),
            BuilderMatcher::newestFirst)
        .thenComparing(BuilderCandidate::image));
    return all;
  }

  private static void keepBest(Map<String, BuilderCandidate> byImage, BuilderCandidate c) {
    String key = normalise(c.image());
    BuilderCandidate old = byImage.get(key);
    if (old == null || rank(c) < rank(old)) {
      byImage.put(key, c);
    }
  }

  /** The candidate's place in the order of the class comment, 1 to 5. */
  static int rank(BuilderCandidate c) {
    boolean engine = ENGINE.equals(c.origin());
    return switch (c.match()) {
      case EXACT_VERSION -> engine ? 1 : 2;
      case LANGUAGE_DEFAULT -> 4;
      case SAME_LANGUAGE -> engine ? 3 : 5;
    };
  }

  private static int newestFirst(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int d = Integer.compare(b.get(i), a.get(i));
      if (d != 0) {
        return d;
      }
    }
    return Integer.compare(b.size(), a.size());
  }

  /** {@code docker.io/library/x:latest} and {@code x} are the same image. */
  static String normalise(String image) {
    String s = image.strip();
    if (s.startsWith("docker.io/")) {
      s = s.substring("docker.io/".length());
    }
    if (s.startsWith("library/")) {
      s = s.substring("library/".length());
    }
    int slash = s.lastIndexOf('/');
    if (s.indexOf(':', slash + 1) < 0 && !s.contains("@")) {
      s = s + ":latest";
    }
    return s;
  }

  private static String describe(BuilderCandidate c) {
    return switch (rank(c)) {
      case 1, 2 -> "each provides the version asked for";
      case 3 -> "each is an engine image of the language";
      case 4 -> "each is a default for the language";
      default -> "each builds the language, none is its default";
    };
  }

  private static String reason(DetectedLanguage language, BuilderCandidate c) {
    String where = ENGINE.equals(c.origin()) ? "a builder image in the engine (io.openshift.tags)" : c.origin();
    String asked = language.version()
        .map(v -> "the source asks for " + language.language() + " " + v
            + language.versionSource().map(s -> " (" + s + ")").orElse(""))
        .orElse("the source names no " + language.language() + " version");
    return switch (c.match()) {
      case EXACT_VERSION -> "exact version: " + asked + " and " + c.image() + " from " + where + " provides "
          + c.language() + ":" + c.version().orElse("?");
      case LANGUAGE_DEFAULT -> "language default: " + asked
          + (language.version().isPresent() ? ", which no builder provides" : "") + ", and " + c.image()
          + " is the default for " + c.language() + " in " + where;
      case SAME_LANGUAGE -> "same language: " + asked
          + (language.version().isPresent() ? ", which no builder provides" : "") + ", and " + c.image()
          + " from " + where + " is the only " + c.language() + " builder"
          + (ENGINE.equals(c.origin()) ? " the engine has (the engine's images come before the catalogue's)"
              : " in it");
    };
  }
}
