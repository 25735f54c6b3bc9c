package io.s2i.testing.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildEvent;
import io.s2i.api.BuildRequest;
import io.s2i.api.IncrementalSpec;
import io.s2i.api.OutputOptions;
import io.s2i.api.PullPolicy;
import io.s2i.testing.engine.FakeBuilders;
import io.s2i.testing.engine.FakeProgram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Incremental builds: the previous image's save-artifacts output reaches the new assemble, through
 * the pipes s2i hands it over; every way that fails gives a warning and a clean build instead.
 */
class IncrementalTest extends FakeBuildTestBase {
  private static final String WARNING = "Clean build will be performed because of error saving previous build artifacts";

  private BuildRequest incremental(Path src, String builder, boolean removePrevious) {
    try {
      return request(src, builder, "app:1")
          .incremental(new IncrementalSpec(Optional.empty(), PullPolicy.NEVER, removePrevious))
          .outputOptions(new OutputOptions(false, false))
          .build();
    } catch (io.s2i.api.InvalidBuildRequestException e) {
      throw new AssertionError(e);
    }
  }

  /** Builds app:1 once with {@code builder}, then incrementally; returns the cache/builds file. */
  private String buildTwice(String builder) throws Exception {
    Path src = source(Map.of("hello.txt", "hi\n"));
    s2i().build(request(src, builder, "app:1").build());
    events.clear();
    s2i().build(incremental(src, builder, false));
    return file("app:1", APP + "/cache/builds");
  }

  @Test
  void artifactsOfThePreviousImageAreRestoredThroughThePipes() throws Exception {
    String first = s2i().build(request(source(Map.of("hello.txt", "hi\n")), BUILDER, "app:1").build()).imageId();
    events.clear();
    s2i().build(incremental(source(Map.of("hello.txt", "hi again\n")), BUILDER, false));

    assertThat(file("app:1", APP + "/cache/builds")).isEqualTo("built\nbuilt\n");
    assertThat(file("app:1", APP + "/hello.txt")).isEqualTo("hi again\n");
    assertThat(output()).contains("---> Restoring artifacts");
    assertThat(logs(BuildEvent.Level.WARN)).isEmpty();
    // save-artifacts ran in the previous image; both containers saw the pipes' directory.
    var save = engine.createdSpecs().stream().filter(s -> s.image().equals(first)).toList();
    assertThat(save).singleElement().satisfies(s -> {
      assertThat(s.cmd()).singleElement().asString()
          .startsWith("exec " + FakeBuilders.SCRIPTS + "/save-artifacts > /dev/s2i-artifacts/out");
      assertThat(s.binds()).anyMatch(b -> b.endsWith(":/dev/s2i-artifacts:z"));
    });
    assertThat(engine.createdSpecs()).filteredOn(s -> s.image().equals(image(BUILDER).id()))
        .last().satisfies(s -> assertThat(s.binds()).anyMatch(b -> b.endsWith(":/dev/s2i-artifacts:z")));
    assertThat(engine.image(first)).as("previous image kept without removePreviousImage").isPresent();
  }

  @Test
  void removePreviousImageRemovesIt() throws Exception {
    Path src = source(Map.of("hello.txt", "hi\n"));
    String first = s2i().build(request(src, BUILDER, "app:1").build()).imageId();
    String second = s2i().build(incremental(src, BUILDER, true)).imageId();
    assertThat(engine.image(first)).isEmpty();
    assertThat(image("app:1").id()).isEqualTo(second);
  }

  @Test
  void noPreviousImageGivesACleanBuild() throws Exception {
    s2i().build(incremental(source(Map.of("hello.txt", "hi\n")), BUILDER, false));
    assertThat(file("app:1", APP + "/cache/builds")).isEqualTo("built\n");
    assertThat(logs(BuildEvent.Level.DETAIL)).anyMatch(m -> m.contains("Clean build will be performed")
        && m.contains("app:1"));
    assertThat(engine.createdSpecs()).hasSize(1);
  }

  @Test
  void failingSaveArtifactsGivesAWarningAndACleanBuild() throws Exception {
    engine.add("savefail:1", FakeBuilders.standard().script(FakeBuilders.SCRIPTS + "/save-artifacts",
        "echo 'cannot save today' >&2\nexit 3"));
    assertThat(buildTwice("savefail:1")).isEqualTo("built\n");
    assertThat(logs(BuildEvent.Level.WARN)).singleElement().asString()
        .startsWith(WARNING).contains("status 3").contains("cannot save today");
    assertThat(output()).doesNotContain("---> Restoring artifacts");
  }

  @Test
  void saveArtifactsPrintingTextInsteadOfATarGivesAWarningWithTheText() throws Exception {
    engine.add("text:1", FakeBuilders.standard().script(FakeBuilders.SCRIPTS + "/save-artifacts",
        "echo 'Saving artifacts... done'"));
    assertThat(buildTwice("text:1")).isEqualTo("built\n");
    assertThat(logs(BuildEvent.Level.WARN)).singleElement().asString()
        .startsWith(WARNING).contains("Saving artifacts... done");
  }

  @Test
  void anArtifactEscapingTheArtifactsDirectoryGivesAWarningAndNothingLandsOutside() throws Exception {
    FakeProgram evil = p -> {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(p.stdout());
      byte[] data = "owned\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("cache/../../escaped.txt", true);
      e.setSize(data.length);
      tar.putArchiveEntry(e);
      tar.write(data);
      tar.closeArchiveEntry();
      tar.finish();
      tar.flush();
      return 0;
    };
    engine.add("evil:1", FakeBuilders.standard().program(FakeBuilders.SCRIPTS + "/save-artifacts", evil));
    assertThat(buildTwice("evil:1")).isEqualTo("built\n");
    assertThat(logs(BuildEvent.Level.WARN)).singleElement().asString().startsWith(WARNING).contains("escaped.txt");
    assertThat(image("app:1").files().exists("/tmp/escaped.txt")).isFalse();
    assertThat(image("app:1").files().exists("/escaped.txt")).isFalse();
  }

  @Test
  void symlinksAndModesSurviveTheRoundTrip() throws Exception {
    engine.add("links:1", FakeBuilders.standard().script(FakeBuilders.SCRIPTS + "/assemble", """
        mkdir -p %1$s/cache
        if [ -d /tmp/artifacts/cache ]; then cp -a /tmp/artifacts/cache/. %1$s/cache/; fi
        echo data > %1$s/cache/file
        chmod 0750 %1$s/cache/file
        ln -sf file %1$s/cache/link
        """.formatted(APP)));
    Path src = source(Map.of("a", "b"));
    s2i().build(request(src, "links:1", "app:1").build());
    s2i().build(incremental(src, "links:1", false));
    var link = image("app:1").files().node(APP + "/cache/link", false).orElseThrow();
    assertThat(link.linkTarget()).isEqualTo("file");
    assertThat(image("app:1").files().node(APP + "/cache/file").orElseThrow().mode()).isEqualTo(0750);
  }
}
