package io.s2i.internal.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.FailureReason;
import io.s2i.api.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSourceFetcherTest {
  private final LocalSourceFetcher fetcher = new LocalSourceFetcher();

  private static SourceSpec spec(String location, String contextDir) {
    return new SourceSpec(location, Optional.empty(), Optional.ofNullable(contextDir), false, false,
        SourceSpec.DEFAULT_EXCLUDE, false);
  }

  private static SourceLocation.Local local(Path p) {
    return new SourceLocation.Local(p, p.toString());
  }

  @Test
  void existingDirectoryIsUsedInPlace(@TempDir Path dir) throws Exception {
    PreparedSource src = fetcher.fetch(spec(dir.toString(), null), local(dir));
    assertThat(src.root()).isEqualTo(dir.toAbsolutePath().normalize());
    assertThat(src.info().location()).isEqualTo(dir.toString());
    assertThat(src.info().contextDir()).isEmpty();
    assertThat(src.info().commit()).isEmpty();
  }

  @Test
  void missingDirectoryFails(@TempDir Path dir) {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> fetcher.fetch(spec(missing.toString(), null), local(missing)))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageContaining("does not exist")
        .hasMessageContaining(missing.toString())
        .satisfies(e -> assertThat(((SourceFetchException) e).reason())
            .isEqualTo(FailureReason.FETCH_SOURCE_FAILED));
  }

  @Test
  void fileInsteadOfDirectoryFails(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("f.txt"), "x");
    assertThatThrownBy(() -> fetcher.fetch(spec(file.toString(), null), local(file)))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageContaining("is not a directory");
  }

  @Test
  void contextDirBecomesTheRoot(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("sub/app"));
    PreparedSource src = fetcher.fetch(spec(dir.toString(), "sub/app"), local(dir));
    assertThat(src.root()).isEqualTo(dir.resolve("sub/app").toAbsolutePath().normalize());
    assertThat(src.info().contextDir()).contains("sub/app");
    assertThat(src.info().location()).isEqualTo(dir.toString());
  }

  @Test
  void missingContextDirFails(@TempDir Path dir) {
    assertThatThrownBy(() -> fetcher.fetch(spec(dir.toString(), "nope"), local(dir)))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageContaining("context dir nope does not exist");
  }

  @Test
  void contextDirThatIsAFileFails(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> fetcher.fetch(spec(dir.toString(), "file"), local(dir)))
        .isInstanceOf(SourceFetchException.class);
  }

  @Test
  void contextDirEscapingTheSourceFails(@TempDir Path parent) throws Exception {
    Path dir = Files.createDirectories(parent.resolve("src"));
    Files.createDirectories(parent.resolve("outside"));
    assertThatThrownBy(() -> fetcher.fetch(spec(dir.toString(), "../outside"), local(dir)))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageContaining("lies outside the source");
    Files.createDirectories(parent.resolve("src-sibling"));
    assertThatThrownBy(() -> fetcher.fetch(spec(dir.toString(), "../src-sibling"), local(dir)))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageContaining("lies outside the source");
    assertThatThrownBy(() -> fetcher.fetch(spec(dir.toString(), "/abs/elsewhere"), local(dir)))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageContaining("lies outside the source");
    assertThatThrownBy(() -> fetcher.fetch(spec(dir.toString(), "a/../../outside"), local(dir)))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageContaining("lies outside the source");
  }

  @Test
  void dotDotThatStaysInsideIsAccepted(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    PreparedSource src = fetcher.fetch(spec(dir.toString(), "a/../b"), local(dir));
    assertThat(src.root()).isEqualTo(dir.resolve("b").toAbsolutePath().normalize());
  }
}
