package io.s2i.internal.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.Detection.BuilderCandidate;
import io.s2i.api.Detection.DetectedLanguage;
import io.s2i.api.Detection.Match;
import io.s2i.api.S2iException;
import io.s2i.engine.ImageSummary;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuilderMatcherTest {
  private static final BuilderCatalogue SHIPPED = BuilderCatalogue.shipped();

  private static DetectedLanguage lang(String language, String version) {
    return new DetectedLanguage(language, "marker", Optional.ofNullable(version),
        Optional.ofNullable(version).map(v -> ".version"), Optional.ofNullable(version));
  }

  private static BuilderCatalogue catalogue(String yaml) throws S2iException {
    return BuilderCatalogue.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml");
  }

  private static List<EngineBuilders.Builder> engine(ImageSummary... images) {
    return EngineBuilders.of(List.of(images));
  }

  private static ImageSummary image(String name, String tags) {
    return new ImageSummary("sha256:" + name.hashCode(), List.of(name),
        Map.of("io.openshift.tags", tags, "io.openshift.s2i.scripts-url", "image:///usr/libexec/s2i"));
  }

  @Test
  void theExactVersionBeatsTheLanguagesDefault() {
    var outcome = BuilderMatcher.choose(lang("python", "3.11.4"), SHIPPED, List.of(), "src");
    assertThat(outcome.choice()).hasValueSatisfying(c -> {
      assertThat(c.image()).isEqualTo("registry.access.redhat.com/ubi9/python-311");
      assertThat(c.candidate().match()).isEqualTo(Match.EXACT_VERSION);
      assertThat(c.reason()).startsWith("exact version:").contains("python 3.11.4 (.version)");
      assertThat(c.others()).extracting(BuilderCandidate::image)
          .startsWith("registry.access.redhat.com/ubi9/python-312");
    });
  }

  @Test
  void noVersionOrAnUnknownOneGetsTheDefault() {
    assertThat(BuilderMatcher.choose(lang("nodejs", null), SHIPPED, List.of(), "src").choice())
        .hasValueSatisfying(c -> assertThat(c.image()).endsWith("ubi9/nodejs-22"));
    var old = BuilderMatcher.choose(lang("nodejs", "14"), SHIPPED, List.of(), "src").choice().orElseThrow();
    assertThat(old.image()).endsWith("ubi9/nodejs-22");
    assertThat(old.reason()).startsWith("language default:").contains("which no builder provides");
  }

  @Test
  void anEngineImageOfTheExactVersionBeatsTheCatalogueOfTheSameFit() {
    var engine = engine(image("localhost/me/java-runner:1", "builder,java-binary,java-binary:17"));
    var choice = BuilderMatcher.choose(lang("java-binary", "17"), SHIPPED, engine, "app.jar").choice().orElseThrow();
    assertThat(choice.image()).isEqualTo("localhost/me/java-runner:1");
    assertThat(choice.candidate().origin()).isEqualTo("engine");
    assertThat(choice.reason()).contains("a builder image in the engine");
  }

  @Test
  void theCataloguesExactVersionBeatsAnEngineImageOfAnotherVersion() {
    var engine = engine(image("localhost/me/java-runner:1", "builder,java-binary:17"));
    var choice = BuilderMatcher.choose(lang("java-binary", "11"), SHIPPED, engine, "app.jar").choice().orElseThrow();
    assertThat(choice.image()).endsWith("ubi9/openjdk-11");
  }

  @Test
  void anEngineImageOfTheLanguageBeatsTheCataloguesDefault() {
    var engine = engine(image("localhost/me/python:dev", "builder,python"));
    var choice = BuilderMatcher.choose(lang("python", null), SHIPPED, engine, "src").choice().orElseThrow();
    assertThat(choice.image()).isEqualTo("localhost/me/python:dev");
    assertThat(choice.reason()).startsWith("same language:");
  }

  @Test
  void sclorgStyleTagsGiveTheVersion() {
    var engine = engine(image("quay.io/sclorg/python-311-c9s:latest", "builder,python,python311"),
        image("quay.io/sclorg/nodejs-20-c9s:latest", "builder,nodejs,nodejs-20"));
    assertThat(BuilderMatcher.choose(lang("python", "3.11"), SHIPPED, engine, "s").choice().orElseThrow().image())
        .isEqualTo("quay.io/sclorg/python-311-c9s:latest");
    assertThat(BuilderMatcher.choose(lang("nodejs", "20.11.1"), SHIPPED, engine, "s").choice().orElseThrow()
        .candidate().match()).isEqualTo(Match.EXACT_VERSION);
  }

  @Test
  void aTieIsAProblemThatNamesTheCandidatesAndHowToPick() {
    var engine = engine(image("localhost/a/python:1", "builder,python:3.11"),
        image("localhost/b/python:1", "builder,python311"));
    var outcome = BuilderMatcher.choose(lang("python", "3.11"), SHIPPED, engine, "./app");
    assertThat(outcome.choice()).isEmpty();
    assertThat(outcome.problem()).hasValueSatisfying(p -> {
      assertThat(p.message()).contains("2 builder images fit python:3.11 equally well")
          .contains("localhost/a/python:1 (engine)").contains("localhost/b/python:1 (engine)");
      assertThat(p.fix()).contains("s2i build ./app <image> <tag>").contains("--builders");
      assertThat(p.candidates()).hasSize(2);
    });
  }

  @Test
  void aCatalogueWithoutDefaultsTiesOnTheLanguage() throws S2iException {
    var cat = catalogue("builders:\n  - {image: a/ruby, language: ruby, version: '3.1'}\n"
        + "  - {image: b/ruby, language: ruby, version: '3.3'}\n");
    assertThat(BuilderMatcher.choose(lang("ruby", null), cat, List.of(), "s").problem())
        .hasValueSatisfying(p -> assertThat(p.message()).contains("a/ruby").contains("b/ruby"));
    assertThat(BuilderMatcher.choose(lang("ruby", "3.3.0"), cat, List.of(), "s").choice().orElseThrow().image())
        .isEqualTo("b/ruby");
  }

  @Test
  void noBuilderForTheLanguageSaysHowToNameOne() {
    var outcome = BuilderMatcher.choose(lang("rust", "1.75"), SHIPPED, List.of(), "src");
    assertThat(outcome.problem()).hasValueSatisfying(p -> {
      assertThat(p.message()).isEqualTo("no builder image for rust (marker) in the default catalogue");
      assertThat(p.fix()).contains("s2i build src <image> <tag>").contains("S2I_BUILDERS");
    });
  }

  @Test
  void theSameImageFromEngineAndCatalogueIsOneCandidate() {
    var engine = engine(image("registry.access.redhat.com/ubi9/python-311:latest", "builder,python,python311"));
    var choice = BuilderMatcher.choose(lang("python", "3.11"), SHIPPED, engine, "s").choice().orElseThrow();
    assertThat(choice.candidate().origin()).isEqualTo("engine");
    assertThat(choice.others()).extracting(BuilderCandidate::image)
        .doesNotContain("registry.access.redhat.com/ubi9/python-311");
  }

  @Test
  void imagesThatAreNotBuildersOrNameNoLanguageAreIgnored() {
    var builders = EngineBuilders.of(List.of(
        new ImageSummary("1", List.of("app:1"), Map.of("io.openshift.tags", "python")),
        new ImageSummary("2", List.of("tool:1"), Map.of("io.openshift.tags", "builder,tooling")),
        new ImageSummary("3", List.of(), Map.of("io.openshift.tags", "builder,python")),
        new ImageSummary("4", List.of("ks/binary:latest"), Map.of("io.kubesphere.tags", "builder,binary")),
        new ImageSummary("5", List.of("x/go:1"), Map.of("io.openshift.s2i.scripts-url", "image:///s",
            "io.openshift.tags", "go:1.21"))));
    assertThat(builders).extracting(EngineBuilders.Builder::image).containsExactly("ks/binary:latest", "x/go:1");
    assertThat(builders.get(1).languages()).isEqualTo(Map.of("golang", List.of("1.21")));
  }

  @Test
  void versionsServeByComponent() {
    assertThat(Versions.serves("3.11", "3.11.4")).isTrue();
    assertThat(Versions.serves("20", "20.11.1")).isTrue();
    assertThat(Versions.serves("311", "3.11")).isTrue();
    assertThat(Versions.serves("536", "5.36")).isTrue();
    assertThat(Versions.serves("3.11", "3")).isFalse();
    assertThat(Versions.serves("3.1", "3.11")).isFalse();
    assertThat(Versions.serves("17", "21")).isFalse();
    assertThat(Versions.normalise("java", "1.8")).contains("8");
    assertThat(Versions.normalise("dotnet", "net8.0")).contains("8.0");
    assertThat(Versions.normalise("python", "latest")).isEmpty();
  }

  @Test
  void theShippedCatalogueNamesPublicUbiBuildersWithOneDefaultPerLanguage() {
    assertThat(SHIPPED.entries()).isNotEmpty().allSatisfy(e ->
        assertThat(e.image()).startsWith("registry.access.redhat.com/ubi9/"));
    assertThat(SHIPPED.entries()).extracting(BuilderCatalogue.Entry::language)
        .contains("python", "nodejs", "java", "java-binary", "ruby", "php", "perl", "dotnet", "golang");
    assertThat(SHIPPED.entries().stream().filter(e -> e.language().equals("python")).map(e -> e.version().orElse("")))
        .as("YAML keeps 3.9 and 3.11 as text").contains("3.9", "3.11", "3.12");
  }

  @Test
  void aBadCatalogueIsAClearError() {
    assertThatThrownBy(() -> catalogue("builders:\n  - {image: x, lang: python}\n"))
        .isInstanceOf(S2iException.class).hasMessageContaining("test.yaml is not a builder catalogue")
        .hasMessageContaining("lang");
    assertThatThrownBy(() -> catalogue("builders:\n  - {image: a, language: go, default: true}\n"
        + "  - {image: b, language: golang, default: true}\n"))
        .hasMessageContaining("both a and b are the default for golang");
    assertThatThrownBy(() -> catalogue("- just a list\n")).hasMessageContaining("not a builder catalogue");
  }

  @Test
  void aVersionWrittenAsANumberKeepsItsText() throws S2iException {
    var cat = catalogue("builders:\n  - {image: p, language: python, version: 3.10}\n");
    assertThat(cat.entries().get(0).version()).contains("3.10");
  }
}
