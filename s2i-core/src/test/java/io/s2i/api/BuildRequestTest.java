package io.s2i.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildRequestTest {
  private static final ImageRef BUILDER = ImageRef.parse("builder");

  private static BuildRequest.Builder builder() {
    return BuildRequest.builder(SourceSpec.local("app"), BUILDER);
  }

  private static ScriptsSpec scriptsUrl(String url) {
    return new ScriptsSpec(Optional.of(url), Optional.empty(), Optional.empty());
  }

  private static InvalidBuildRequestException violation(BuildRequest.Builder b) {
    try {
      b.build();
    } catch (InvalidBuildRequestException e) {
      return e;
    }
    throw new AssertionError("expected InvalidBuildRequestException");
  }

  @Test
  void minimalRequestHasDefaults() throws Exception {
    BuildRequest r = builder().build();
    assertThat(r.builderPull()).isEqualTo(PullPolicy.IF_NOT_PRESENT);
    assertThat(r.tag()).isEmpty();
    assertThat(r.env()).isEmpty();
    assertThat(r.labels()).isEmpty();
    assertThat(r.incremental()).isEmpty();
    assertThat(r.callbackUrl()).isEmpty();
    assertThat(r.displayName()).isEmpty();
  }

  @Test
  void emptyDisplayNameAndDescriptionBecomeAbsent() throws Exception {
    BuildRequest r = builder().displayName("").description("").build();
    assertThat(r.displayName()).isEmpty();
    assertThat(r.description()).isEmpty();
    BuildRequest r2 = builder().displayName("My App").description("d").build();
    assertThat(r2.displayName()).contains("My App");
    assertThat(r2.description()).contains("d");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "image:///usr/libexec/s2i", "file:///tmp/s", "file://rel/dir", "http://h/s", "HTTPS://h/s"})
  void knownScriptsUrlSchemesAreAccepted(String url) throws Exception {
    assertThat(builder().scripts(scriptsUrl(url)).build().scripts().scriptsUrl()).contains(url);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://h/s", "/abs/dir", "s3://bucket", "image:/x"})
  void unknownScriptsUrlSchemeIsAViolation(String url) {
    InvalidBuildRequestException e = violation(builder().scripts(scriptsUrl(url)));
    assertThat(e.violations()).singleElement().asString()
        .contains("scripts.scriptsUrl").contains(url).contains("unknown scheme");
    assertThat(e.reason()).isEqualTo(FailureReason.INVALID_REQUEST);
  }

  @Test
  void blankScriptsUrlIsIgnored() throws Exception {
    assertThat(builder().scripts(scriptsUrl("  ")).build().scripts().scriptsUrl()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://h/cb", "mailto:x@y", "relative/path"})
  void callbackUrlMustBeHttp(String url) {
    InvalidBuildRequestException e = violation(builder().callbackUrl(URI.create(url)));
    assertThat(e.violations()).singleElement().asString().contains("callbackUrl").contains(url);
  }

  @Test
  void httpCallbackUrlIsAccepted() throws Exception {
    assertThat(builder().callbackUrl(URI.create("https://h/cb")).build().callbackUrl())
        .contains(URI.create("https://h/cb"));
  }

  @Test
  void incrementalWithoutTagOrPreviousImageIsAViolation() {
    IncrementalSpec inc = new IncrementalSpec(Optional.empty(), PullPolicy.IF_NOT_PRESENT, false);
    InvalidBuildRequestException e = violation(builder().incremental(inc));
    assertThat(e.violations()).singleElement().asString().contains("incremental");
  }

  @Test
  void incrementalWithTagOrPreviousImageIsAccepted() throws Exception {
    IncrementalSpec inc = new IncrementalSpec(Optional.empty(), PullPolicy.IF_NOT_PRESENT, false);
    assertThat(builder().incremental(inc).tag(ImageRef.parse("out")).build().incremental())
        .contains(inc);
    IncrementalSpec prev =
        new IncrementalSpec(Optional.of(ImageRef.parse("prev")), PullPolicy.NEVER, false);
    assertThat(builder().incremental(prev).build().incremental()).contains(prev);
  }

  @Test
  void blankLabelKeyIsAViolation() {
    InvalidBuildRequestException e = violation(builder().labels(Map.of("", "v")));
    assertThat(e.violations()).singleElement().asString().contains("label keys");
  }

  @Test
  void missingSourceAndBuilderAreViolations() {
    InvalidBuildRequestException e = violation(BuildRequest.builder(SourceSpec.local(""), null));
    assertThat(e.violations()).hasSize(2);
  }

  @Test
  void allViolationsAreReportedTogether() {
    IncrementalSpec inc = new IncrementalSpec(Optional.empty(), PullPolicy.IF_NOT_PRESENT, false);
    InvalidBuildRequestException e = violation(builder()
        .incremental(inc)
        .callbackUrl(URI.create("ftp://x"))
        .scripts(scriptsUrl("bogus://x")));
    assertThat(e.violations()).hasSize(3);
    assertThat(e.getMessage()).isEqualTo(String.join("; ", e.violations()));
  }

  @Test
  void envAndLabelsAreCopied() throws Exception {
    BuildRequest r = builder()
        .env(List.of(new EnvVar("A", "1")))
        .env(List.of(new EnvVar("B", "2")))
        .labels(Map.of("k", "v"))
        .build();
    assertThat(r.env()).extracting(EnvVar::name).containsExactly("A", "B");
    assertThat(r.labels()).containsEntry("k", "v");
    assertThatThrownBy(() -> r.env().add(new EnvVar("C", "3")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theConstructorChecksTheSameRules() {
    assertThatThrownBy(() -> new BuildRequest(SourceSpec.local(" "), null, null, null, null, null, null,
        null, null, null, null, false, Optional.of(URI.create("ftp://x")), null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(BuildRequest.NO_SOURCE)
        .hasMessageContaining(BuildRequest.NO_BUILDER)
        .hasMessageContaining("callbackUrl");
  }

  @Test
  void theConstructorFillsAbsentPartsWithDefaults() {
    BuildRequest r = new BuildRequest(SourceSpec.local("app"), BUILDER, null, null, null, null, null,
        null, null, null, null, false, null, null, null, null, null);
    assertThat(r.builderPull()).isEqualTo(PullPolicy.IF_NOT_PRESENT);
    assertThat(r.output()).isEqualTo(new OutputTarget.EngineImage(Optional.empty()));
    assertThat(r.scripts()).isEqualTo(ScriptsSpec.defaults());
    assertThat(r.run()).isEqualTo(RunOptions.defaults());
    assertThat(r.outputOptions()).isEqualTo(OutputOptions.defaults());
    assertThat(r.env()).isEmpty();
  }

  @Test
  void aTagOtherThanTheOutputsIsAViolation() {
    assertThatThrownBy(() -> new BuildRequest(SourceSpec.local("app"), BUILDER, null,
        Optional.of(ImageRef.parse("one")), null, null, null, null, null, null, null, false, null, null,
        new OutputTarget.EngineImage(Optional.of(ImageRef.parse("two"))), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("engine tag of output");
  }

  @Test
  void toBuilderGivesAnEqualRequest() throws Exception {
    BuildRequest r = builder()
        .output(new OutputTarget.RegistryImage(ImageRef.parse("127.0.0.1:5000/a:1")))
        .env(List.of(new EnvVar("A", "1")))
        .labels(Map.of("k", "v"))
        .callbackUrl(URI.create("http://h/cb"))
        .incremental(new IncrementalSpec(Optional.empty(), PullPolicy.NEVER, true))
        .sourceDateEpoch(java.time.Instant.ofEpochSecond(5))
        .displayName("n")
        .build();
    assertThat(r.toBuilder().build()).isEqualTo(r);
  }
}
