package io.s2i.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerfileInstructionTest {

  @Test
  void triggerLinesSplitIntoKeywordFlagsAndRest() throws Exception {
    DockerfileInstruction copy = DockerfileInstruction.parse("copy --chown=1001:0  --link . /app/");
    assertThat(copy.keyword()).isEqualTo("COPY");
    assertThat(copy.flags()).containsExactly(Map.entry("chown", "1001:0"), Map.entry("link", ""));
    assertThat(copy.rest()).isEqualTo(". /app/");
    assertThat(copy.fields()).containsExactly(".", "/app/");
    assertThat(DockerfileInstruction.parse("RUN -- --not-a-flag").rest()).isEqualTo("--not-a-flag");
  }

  @Test
  void jsonFormOnlyForAValidArrayOfStrings() throws Exception {
    assertThat(DockerfileInstruction.parse("CMD [\"./run\", \"a b\"]").jsonArgs()).contains(List.of("./run", "a b"));
    assertThat(DockerfileInstruction.parse("CMD [\"unterminated\"").jsonArgs()).isEmpty();
    assertThat(DockerfileInstruction.parse("RUN [ -f x ] && echo yes").jsonArgs()).isEmpty();
    assertThat(DockerfileInstruction.parse("CMD [1, 2]").jsonArgs()).isEmpty();
    assertThat(DockerfileInstruction.parse("CMD echo hi").jsonArgs()).isEmpty();
  }

  @Test
  void dockerfileContinuationsCommentsAndEscapeDirective() throws Exception {
    String df = "# escape=\\\n"
        + "FROM builder\n"
        + "# a comment\n"
        + "ENV A=\"x\" \\\n"
        + "    # comment inside a continuation\n"
        + "\n"
        + "    B=\"y\"\n"
        + "RUN echo a\\\\\n"
        + "ENTRYPOINT [\"./run\"]\n";
    List<DockerfileInstruction> all = DockerfileInstruction.parseDockerfile(df);
    assertThat(all).extracting(DockerfileInstruction::keyword).containsExactly("FROM", "ENV", "RUN", "ENTRYPOINT");
    assertThat(all.get(1).rest()).isEqualTo("A=\"x\"     B=\"y\"");
    assertThat(all.get(2).rest()).as("an escaped escape at the end is no continuation").isEqualTo("echo a\\\\");

    List<DockerfileInstruction> backtick = DockerfileInstruction.parseDockerfile(
        "# escape=`\nFROM x\nRUN echo c:\\dir `\n  more\n");
    assertThat(backtick.get(1).rest()).isEqualTo("echo c:\\dir   more");
  }

  @Test
  void nameValuePairsAndTheLegacyForm() throws Exception {
    assertThat(DockerfileInstruction.parse("ENV A=\"x y\" B=z\\ w C=").nameValues())
        .containsExactly(Map.entry("A", "\"x y\""), Map.entry("B", "z\\ w"), Map.entry("C", ""));
    assertThat(DockerfileInstruction.parse("ENV NAME some value  here").nameValues())
        .containsExactly(Map.entry("NAME", "some value  here"));
    assertThatThrownBy(() -> DockerfileInstruction.parse("LABEL a=1 b").nameValues())
        .hasMessageContaining("can't find = in \"b\"");
    assertThatThrownBy(() -> DockerfileInstruction.parse("ENV ONLY").nameValues()).hasMessageContaining("two arguments");
  }

  @Test
  void badLinesAreSyntaxErrors() {
    assertThatThrownBy(() -> DockerfileInstruction.parse("   ")).isInstanceOf(DockerfileInstruction.SyntaxException.class);
    assertThatThrownBy(() -> DockerfileInstruction.parse("COPY --Bad=1 a b")).hasMessageContaining("invalid flag");
    assertThatThrownBy(() -> DockerfileInstruction.parseDockerfile("# escape=x\nFROM a\n"))
        .hasMessageContaining("escape directive");
  }

  @Test
  void goDurations() throws Exception {
    assertThat(GoDurations.nanos("30s")).isEqualTo(30_000_000_000L);
    assertThat(GoDurations.nanos("1m30s")).isEqualTo(90_000_000_000L);
    assertThat(GoDurations.nanos("1.5h")).isEqualTo(5_400_000_000_000L);
    assertThat(GoDurations.nanos("250ms")).isEqualTo(250_000_000L);
    assertThatThrownBy(() -> GoDurations.nanos("10")).hasMessageContaining("Go duration");
    assertThatThrownBy(() -> GoDurations.nanos("5s garbage")).hasMessageContaining("invalid duration");
  }
}
