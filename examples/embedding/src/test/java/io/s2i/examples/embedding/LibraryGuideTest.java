package io.s2i.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The embedding guide cannot rot: every code block of docs/library.md marked
 * {@code <!-- snippet: NAME (FILE) -->} is the region {@code tag::NAME[]}..{@code end::NAME[]} of
 * that file, which compiles and is run by this module's tests; and every region of the example is
 * in the guide.
 */
class LibraryGuideTest {
  private static final Path REPO = Path.of(System.getProperty("s2i.repo.root", "../..")).toAbsolutePath().normalize();
  private static final Path EXAMPLE = REPO.resolve(
      "examples/embedding/src/main/java/io/s2i/examples/embedding/EmbeddingExample.java");
  private static final Pattern SNIPPET = Pattern.compile(
      "<!-- snippet: (\\S+) \\((\\S+)\\) -->\\s*\\n```\\w*\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everySnippetIsTheRegionOfItsFile() throws IOException {
    String guide = Files.readString(REPO.resolve("docs/library.md"));
    Matcher m = SNIPPET.matcher(guide);
    int count = 0;
    while (m.find()) {
      count++;
      String region = region(REPO.resolve(m.group(2)), m.group(1));
      assertThat(m.group(3)).as("snippet %s of docs/library.md against %s", m.group(1), m.group(2))
          .isEqualTo(region);
    }
    assertThat(count).as("snippets in docs/library.md").isGreaterThanOrEqualTo(8);
  }

  @Test
  void everyRegionOfTheExampleIsInTheGuide() throws IOException {
    String guide = Files.readString(REPO.resolve("docs/library.md"));
    Set<String> quoted = new LinkedHashSet<>();
    Matcher m = SNIPPET.matcher(guide);
    while (m.find()) {
      quoted.add(m.group(1));
    }
    Matcher tags = Pattern.compile("// tag::([\\w-]+)\\[]").matcher(Files.readString(EXAMPLE));
    List<String> regions = new ArrayList<>();
    while (tags.find()) {
      regions.add(tags.group(1));
    }
    assertThat(regions).isNotEmpty();
    assertThat(quoted).containsAll(regions);
  }

  /** The lines between the markers, indentation common to them removed, each ending in a newline. */
  static String region(Path file, String name) throws IOException {
    List<String> lines = Files.readAllLines(file);
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("tag::" + name + "[]")) {
        start = i + 1;
      } else if (lines.get(i).contains("end::" + name + "[]")) {
        end = i;
      }
    }
    assertThat(start).as("tag::%s[] in %s", name, file).isPositive();
    assertThat(end).as("end::%s[] in %s", name, file).isGreaterThanOrEqualTo(start);
    List<String> body = lines.subList(start, end);
    int indent = body.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder sb = new StringBuilder();
    for (String l : body) {
      sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    }
    return sb.toString();
  }
}
