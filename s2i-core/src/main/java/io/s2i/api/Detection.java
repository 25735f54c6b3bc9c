package io.s2i.api;

import java.util.List;
import java.util.Optional;

/**
 * What {@code S2i.detect} found in a source and the builder image it chose.
 *
 * @param source the source as given
 * @param input what kind of input it was
 * @param languages every language found, in the detectors' order (oc new-app's, then s2i's own);
 *     the first one picks the builder
 * @param strategy how the source would be built
 * @param dockerfile for the docker strategy: the file that decided it and the image its last
 *     {@code FROM} names
 * @param builder the builder chosen for the first language, when one was found (for the docker
 *     strategy: the one a source build would use)
 * @param problem why the source cannot be built with a detected builder: nothing detected, no
 *     builder or a tie, or the docker strategy
 * @param markers what was looked for: each language with its marker files, for error messages
 */
public record Detection(
    String source,
    InputKind input,
    List<DetectedLanguage> languages,
    Strategy strategy,
    Optional<DockerfileInfo> dockerfile,
    Optional<BuilderChoice> builder,
    Optional<Problem> problem,
    List<String> markers) {

  public Detection {
    languages = List.copyOf(languages);
    markers = List.copyOf(markers);
  }

  /** The source's kind. */
  public enum InputKind {
    /** A local directory, used in place. */
    DIRECTORY,
    /** A git repository (URL or a local work tree), read from a clone. */
    GIT,
    /** A single file that is built as it is (a jar, an executable). */
    FILE,
    /** An archive (tar, tar.gz, tar.zst, zip) whose content is the source. */
    ARCHIVE
  }

  /** How the source would be built. */
  public enum Strategy {
    /** With an s2i builder image. */
    SOURCE,
    /** With its own Dockerfile or Containerfile. */
    DOCKER
  }

  /**
   * One language found.
   *
   * @param language the language's name ({@code python}, {@code nodejs}, {@code java},
   *     {@code java-binary}, {@code binary}, ...)
   * @param marker the file that proved it, relative to the source root
   * @param version the version the source asks for, when it records one
   * @param versionSource where that version was read ({@code .python-version},
   *     {@code package.json engines.node}, ...)
   * @param versionConstraint the text as the source wrote it ({@code >=18}, {@code ^8.1})
   */
  public record DetectedLanguage(String language, String marker, Optional<String> version,
      Optional<String> versionSource, Optional<String> versionConstraint) {

    /** {@code language} or {@code language:version}, as OpenShift's {@code supports} terms. */
    public String term() {
      return version.map(v -> language + ":" + v).orElse(language);
    }
  }

  /**
   * The file that chose the docker strategy.
   *
   * @param file {@code Dockerfile} or {@code Containerfile}
   * @param from the image its last {@code FROM} names, when it has one
   */
  public record DockerfileInfo(String file, Optional<String> from) {}

  /** How well a builder fits the language found. Lower is better. */
  public enum Match {
    /** The builder is for the language and exactly the version asked for. */
    EXACT_VERSION,
    /** The builder is the one its catalogue names for the language when no version decides. */
    LANGUAGE_DEFAULT,
    /** The builder is for the language, another or no version. */
    SAME_LANGUAGE
  }

  /**
   * A builder image that could build the language.
   *
   * @param image the image reference
   * @param language the language it is for
   * @param version the language version it provides, when known
   * @param origin where it was found: {@code engine} or the catalogue file
   * @param match how well it fits
   */
  public record BuilderCandidate(String image, String language, Optional<String> version,
      String origin, Match match) {}

  /**
   * The builder chosen.
   *
   * @param image the builder image
   * @param language the language it was chosen for
   * @param reason why it won, in one sentence
   * @param candidate the winning candidate
   * @param others the candidates it beat, best first
   */
  public record BuilderChoice(String image, String language, String reason,
      BuilderCandidate candidate, List<BuilderCandidate> others) {
    public BuilderChoice {
      others = List.copyOf(others);
    }
  }

  /**
   * Why no builder was chosen.
   *
   * @param message what went wrong
   * @param fix what to do about it
   * @param candidates the tied candidates, when that was the reason
   */
  public record Problem(String message, String fix, List<BuilderCandidate> candidates) {
    public Problem {
      candidates = List.copyOf(candidates);
    }
  }

  /** The first language found: the one the builder is chosen for. */
  public Optional<DetectedLanguage> primary() {
    return languages.isEmpty() ? Optional.empty() : Optional.of(languages.get(0));
  }

  /**
   * The builder image to build with.
   *
   * @throws S2iException ({@link FailureReason#DETECTION_FAILED}) when there is a {@code problem},
   *     with its message and fix
   */
  public String requireBuilder() throws S2iException {
    if (builder.isPresent() && problem.isEmpty()) {
      return builder.get().image();
    }
    Problem p = problem.orElse(new Problem("no builder image was chosen for " + source,
        "name a builder image: s2i build <source> <image> <tag>", List.of()));
    throw new S2iException(FailureReason.DETECTION_FAILED, p.message(), p.fix());
  }
}
