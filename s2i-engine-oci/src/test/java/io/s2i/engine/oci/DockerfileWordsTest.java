package io.s2i.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DockerfileWordsTest {
  private static final Map<String, String> ENV = Map.of("HOME", "/opt/app", "SPACED", "a b", "EMPTY", "");
  private static final Function<String, String> LOOKUP = ENV::get;

  private static String word(String w) throws Exception {
    return DockerfileWords.word(w, LOOKUP);
  }

  @Test
  void variablesAreExpandedAndQuotesRemoved() throws Exception {
    assertThat(word("$HOME/src")).isEqualTo("/opt/app/src");
    assertThat(word("${HOME}src")).isEqualTo("/opt/appsrc");
    assertThat(word("'$HOME'")).isEqualTo("$HOME");
    assertThat(word("\"$HOME x\"")).isEqualTo("/opt/app x");
    assertThat(word("\\$HOME")).isEqualTo("$HOME");
    assertThat(word("\"a\\\"b\\\\c\\d\"")).isEqualTo("a\"b\\c\\d");
    assertThat(word("$UNSET-x")).isEqualTo("-x");
    assertThat(word("cost: $5 and $")).isEqualTo("cost:  and $");
    assertThat(word("100%$")).isEqualTo("100%$");
  }

  @Test
  void modifiers() throws Exception {
    assertThat(word("${UNSET:-fallback}")).isEqualTo("fallback");
    assertThat(word("${EMPTY:-fallback}")).isEqualTo("fallback");
    assertThat(word("${EMPTY-fallback}")).isEqualTo("");
    assertThat(word("${HOME:-x}")).isEqualTo("/opt/app");
    assertThat(word("${HOME:+set}")).isEqualTo("set");
    assertThat(word("${UNSET:+set}")).isEqualTo("");
    assertThat(word("${EMPTY+set}")).isEqualTo("set");
    assertThat(word("${UNSET:-$HOME/d}")).isEqualTo("/opt/app/d");
    assertThatThrownBy(() -> word("${HOME:?boom}")).hasMessageContaining("unsupported modifier");
    assertThatThrownBy(() -> word("${HOME")).hasMessageContaining("missing '}'");
    assertThatThrownBy(() -> word("${}")).hasMessageContaining("bad substitution");
    assertThatThrownBy(() -> word("'open")).hasMessageContaining("single-quote");
    assertThatThrownBy(() -> word("\"open")).hasMessageContaining("double-quote");
  }

  @Test
  void wordsSplitAtUnquotedSpaceAndInExpandedValues() throws Exception {
    assertThat(DockerfileWords.words("a \"b c\" $SPACED 'd e'", LOOKUP)).containsExactly("a", "b c", "a", "b", "d e");
    assertThat(DockerfileWords.words("\"$SPACED\"", LOOKUP)).containsExactly("a b");
    assertThat(DockerfileWords.words("  ", LOOKUP)).isEmpty();
  }

  @Test
  void splitKeepingQuotesAsDockersParserDoes() {
    assertThat(DockerfileWords.splitKeepingQuotes("A=\"x y\" B='1 2' C=a\\ b \"\"")).containsExactly(
        "A=\"x y\"", "B='1 2'", "C=a\\ b", "\"\"");
  }

  @Test
  void globsStopAtSlashes() {
    assertThat(ContextCopy.glob("*.txt").matcher("a.txt").matches()).isTrue();
    assertThat(ContextCopy.glob("*.txt").matcher("d/a.txt").matches()).isFalse();
    assertThat(ContextCopy.glob("d/?.tx[st]").matcher("d/a.txs").matches()).isTrue();
    assertThat(ContextCopy.glob("[^a]*").matcher("abc").matches()).isFalse();
    assertThat(ContextCopy.glob("a+b(c)").matcher("a+b(c)").matches()).isTrue();
  }
}
