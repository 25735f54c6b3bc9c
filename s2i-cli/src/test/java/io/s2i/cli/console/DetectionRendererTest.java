package io.s2i.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.S2i;
import io.s2i.api.DetectOptions;
import io.s2i.api.Detection;
import io.s2i.api.EventSink;
import io.s2i.api.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code s2i detect} shows a detection, for people and for machines. */
class DetectionRendererTest {
  @TempDir Path tmp;
  private int apps;

  private Detection detect(String... pathsAndContents) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("app" + (++apps)));
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      Files.writeString(dir.resolve(pathsAndContents[i]), pathsAndContents[i + 1]);
    }
    return S2i.detect(SourceSpec.local(dir.toString()), DetectOptions.defaults(), EventSink.discard());
  }

  @Test
  void textShowsLanguagesInOrderWithMarkerVersionStrategyAndBuilder() throws Exception {
    Detection d = detect("pom.xml", "<project><properties><java.version>17</java.version></properties></project>",
        "package.json", "{\"engines\":{\"node\":\">=20\"}}", "Dockerfile", "FROM eclipse-temurin:17\n");
    String text = DetectionRenderer.text(d);
    assertThat(text).contains("Source:    " + tmp.resolve("app1") + " (directory)\n")
        .contains("  1. java 17  (pom.xml; version from pom.xml java.version)\n")
        .contains("  2. nodejs 20  (package.json; version from package.json engines.node: >=20)\n")
        .contains("Strategy:  docker (Dockerfile, FROM eclipse-temurin:17)\n")
        .contains("Builder:   registry.access.redhat.com/ubi9/openjdk-17 (for --strategy source)\n")
        .contains("Why:       exact version:");
  }

  @Test
  void jsonCarriesEveryFieldAndTheProblemWithTheMarkers() throws Exception {
    JsonNode ok = new ObjectMapper().readTree(DetectionRenderer.json(detect("go.mod", "go 1.22\n")));
    assertThat(ok.get("languages").get(0).get("term").asText()).isEqualTo("golang:1.22");
    assertThat(ok.get("builder").get("match").asText()).isEqualTo("language_default");
    assertThat(ok.get("problem").isNull()).isTrue();
    assertThat(ok.get("dockerfile").isNull()).isTrue();

    JsonNode none = new ObjectMapper().readTree(DetectionRenderer.json(detect("README", "x")));
    assertThat(none.get("languages")).isEmpty();
    assertThat(none.get("builder").isNull()).isTrue();
    assertThat(none.get("problem").get("message").asText()).startsWith("no language detected");
    assertThat(none.get("problem").get("markers").toString()).contains("Cargo.toml (rust)");
  }
}
