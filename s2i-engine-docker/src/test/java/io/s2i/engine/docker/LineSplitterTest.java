package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
  private final List<String> lines = new ArrayList<>();
  private final LineSplitter splitter = new LineSplitter(lines::add);

  @Test
  void joinsLinesAcrossFramesAndKeepsPartialLastLine() {
    splitter.accept(bytes("one\ntw"));
    splitter.accept(bytes("o\n\nthr"));
    assertThat(lines).containsExactly("one", "two", "");
    splitter.accept(bytes("ee"));
    splitter.flush();
    assertThat(lines).containsExactly("one", "two", "", "three");
  }

  @Test
  void multiByteCharacterSplitBetweenFramesSurvives() {
    byte[] word = bytes("été\n");
    splitter.accept(Arrays.copyOfRange(word, 0, 1));
    splitter.accept(Arrays.copyOfRange(word, 1, word.length));
    assertThat(lines).containsExactly("été");
  }

  @Test
  void flushWithNothingPendingEmitsNothing() {
    splitter.accept(bytes("done\n"));
    splitter.flush();
    assertThat(lines).containsExactly("done");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
