package io.s2i.internal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.SourceInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputLabelsTest {
  private static final String NS = "io.openshift.s2i.";
  private static final SourceInfo.Commit COMMIT = new SourceInfo.Commit(
      "0123456789abcdef0123456789abcdef01234567", "main", "Jane Doe <jane@example.com>",
      "Mon Nov 23 10:47:30 2026 +0000", "Fix the thing\n\nLonger body text");

  @Test
  void plainCopySourceLabels() {
    Map<String, String> labels = OutputLabels.generated(
        "127.0.0.1:5999/s2ispec-builder:latest",
        new SourceInfo("app1", Optional.empty(), Optional.empty()),
        Optional.of("out:1"), Optional.empty(), Optional.empty());
    assertThat(labels).containsExactlyInAnyOrderEntriesOf(Map.of(
        "io.k8s.display-name", "out:1",
        NS + "build.image", "127.0.0.1:5999/s2ispec-builder:latest",
        NS + "build.source-location", "app1"));
  }

  @Test
  void gitSourceLabelsAndContextDir() {
    Map<String, String> labels = OutputLabels.generated(
        "docker.io/library/b:latest",
        new SourceInfo("/repo", Optional.of("sub"), Optional.of(COMMIT)),
        Optional.of("out"), Optional.of("My App"), Optional.of("my description"));
    assertThat(labels).containsEntry("io.k8s.display-name", "My App")
        .containsEntry("io.k8s.description", "my description")
        .containsEntry(NS + "build.commit.author", "Jane Doe <jane@example.com>")
        .containsEntry(NS + "build.commit.date", "Mon Nov 23 10:47:30 2026 +0000")
        .containsEntry(NS + "build.commit.id", COMMIT.id())
        .containsEntry(NS + "build.commit.ref", "main")
        .containsEntry(NS + "build.commit.message", "Fix the thing")
        .containsEntry(NS + "build.source-location", "/repo")
        .containsEntry(NS + "build.source-context-dir", "sub")
        .hasSize(10);
  }

  @Test
  void noTagAndNoDisplayNameGiveNoDisplayNameLabel() {
    Map<String, String> labels = OutputLabels.generated("b",
        new SourceInfo("app", Optional.empty(), Optional.empty()),
        Optional.empty(), Optional.empty(), Optional.empty());
    assertThat(labels).doesNotContainKeys("io.k8s.display-name", "io.k8s.description");
  }

  @Test
  void emptyBuildValuesAreLeftOut() {
    SourceInfo.Commit partial = new SourceInfo.Commit("abc", "", "", "", "");
    Map<String, String> labels = OutputLabels.generated("",
        new SourceInfo("", Optional.empty(), Optional.of(partial)),
        Optional.empty(), Optional.empty(), Optional.empty());
    assertThat(labels).containsOnlyKeys(NS + "build.commit.id");
  }

  @Test
  void subjectOf80ColumnsIsKept() {
    String eighty = "x".repeat(80);
    assertThat(OutputLabels.commitSubject(eighty)).isEqualTo(eighty);
    assertThat(OutputLabels.commitSubject("short")).isEqualTo("short");
    assertThat(OutputLabels.commitSubject("")).isEmpty();
  }

  @Test
  void longerSubjectIsCutTo78PlusDots() {
    String subject = "a".repeat(70) + "b".repeat(20);
    String cut = OutputLabels.commitSubject(subject + "\nbody");
    assertThat(cut).hasSize(80).isEqualTo(subject.substring(0, 78) + "..");
    assertThat(OutputLabels.commitSubject("y".repeat(81))).isEqualTo("y".repeat(78) + "..");
  }

  @Test
  void mergeOrderBaseGeneratedRequestMetadata() {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("k", "base");
    base.put("only.base", "1");
    base.put("io.k8s.display-name", "builder name");
    Map<String, String> generated = Map.of("k", "gen", "io.k8s.display-name", "-n value", "g", "2");
    Map<String, String> requested = Map.of("k", "req", "r", "3");
    Map<String, String> metadata = Map.of("io.k8s.display-name", "from metadata", "custom.label", "c");
    Map<String, String> merged = OutputLabels.merge(base, generated, requested, metadata);
    assertThat(merged).containsExactlyInAnyOrderEntriesOf(Map.of(
        "k", "req", "only.base", "1", "io.k8s.display-name", "from metadata", "g", "2", "r", "3",
        "custom.label", "c"));
    assertThat(new ArrayList<>(merged.keySet()).subList(0, 3))
        .containsExactly("k", "only.base", "io.k8s.display-name");
  }

  @Test
  void generatedBeatsBaseWhenNothingElseSetsIt() {
    Map<String, String> merged = OutputLabels.merge(
        Map.of("k", "base"), Map.of("k", "gen"), Map.of(), Map.of());
    assertThat(merged).containsExactly(Map.entry("k", "gen"));
  }

  @Test
  void sizeCountsUtf8BytesOfKeysAndValues() {
    assertThat(OutputLabels.size(Map.of("ab", "cde"))).isEqualTo(5);
    assertThat(OutputLabels.size(Map.of("k", "é"))).isEqualTo(3);
    assertThat(OutputLabels.size(Map.of())).isZero();
  }

  @Test
  void ociLabelsNameRevisionUrlSourceAndWholeSecondCreation() {
    Map<String, String> git = OutputLabels.oci(
        new SourceInfo("https://example.com/app.git", Optional.empty(), Optional.of(COMMIT)),
        java.time.Instant.parse("2023-11-14T22:13:20.750Z"));
    assertThat(git).containsExactlyInAnyOrderEntriesOf(Map.of(
        "org.opencontainers.image.source", "https://example.com/app.git",
        "org.opencontainers.image.revision", COMMIT.id(),
        "org.opencontainers.image.created", "2023-11-14T22:13:20Z"));
    Map<String, String> local = OutputLabels.oci(
        new SourceInfo("/home/me/app", Optional.empty(), Optional.empty()), java.time.Instant.EPOCH);
    assertThat(local).containsOnlyKeys("org.opencontainers.image.created");
  }

  @Test
  void sourceInfoIsReadBackFromTheGeneratedLabels() {
    Map<String, String> labels = OutputLabels.generated("b",
        new SourceInfo("/repo", Optional.of("sub"), Optional.of(COMMIT)),
        Optional.empty(), Optional.empty(), Optional.empty());
    SourceInfo back = OutputLabels.sourceInfo(labels).orElseThrow();
    assertThat(back.location()).isEqualTo("/repo");
    assertThat(back.contextDir()).contains("sub");
    assertThat(back.commit().orElseThrow().id()).isEqualTo(COMMIT.id());
  }
}
