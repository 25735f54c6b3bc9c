package io.s2i.service.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preview detects with the server's catalogue (serve --builders), as its builds do. */
class LibraryDetectionTest {
  @TempDir Path tmp;

  @Test
  void thePreviewPicksFromTheServersCatalogueWhenItHasOne() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("requirements.txt"), "flask\n");
    Path catalogue = Files.writeString(tmp.resolve("builders.yaml"),
        "builders:\n  - {image: 127.0.0.1:5000/team/python-builder:3, language: python, default: true}\n");
    SourceDetection.Input input = new SourceDetection.Input(Optional.of(app.toString()), Optional.empty(),
        Optional.empty(), "", Optional.empty());

    assertThat(builder(new LibraryDetection(Optional.of(catalogue)).detect(input)))
        .contains("127.0.0.1:5000/team/python-builder:3");
    assertThat(builder(new LibraryDetection().detect(input)))
        .contains("registry.access.redhat.com/ubi9/python").doesNotContain("team/python-builder");
  }

  /** The chosen builder's part of the answer, as text. */
  private static String builder(Object answer) {
    return String.valueOf(((Map<?, ?>) answer).get("builder"));
  }
}
