package io.s2i.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoreRulesTest {

  private static void touch(Path root, String rel) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, rel);
  }

  private static Path verifiedTree(Path root) throws IOException {
    for (String f : List.of("a.log", "b.log", "a.txt", "keep/k.log", "logs/x.log", "logs/y.txt",
        "sub/e.tmp", "sub/deep/d.tmp")) {
      touch(root, f);
    }
    Files.writeString(root.resolve(".s2iignore"), "*.log\n!b.log\nlogs\nsub/*.tmp\n");
    return root;
  }

  @Test
  void verifiedUpstreamExample(@TempDir Path root) throws Exception {
    verifiedTree(root);
    IgnoreRules rules = IgnoreRules.read(root.resolve(".s2iignore"));
    assertThat(rules.isEmpty()).isFalse();
    assertThat(rules.ignoredPaths(root)).containsExactlyInAnyOrder("a.log", "logs", "sub/e.tmp");
  }

  @Test
  void ignoredPathsThroughAFilterLeaveTheVerifiedFilesOnly(@TempDir Path root) throws Exception {
    verifiedTree(root);
    var ignored = IgnoreRules.read(root.resolve(".s2iignore")).ignoredPaths(root);
    SourceFilter filter = new SourceFilter(null, ignored, java.util.Set.of());
    assertThat(filter.excludes("a.log")).isTrue();
    assertThat(filter.excludes("logs")).isTrue();
    assertThat(filter.excludes("sub/e.tmp")).isTrue();
    assertThat(filter.excludes("b.log")).isFalse();
    assertThat(filter.excludes("keep/k.log")).isFalse();
    assertThat(filter.excludes("sub/deep/d.tmp")).isFalse();
    assertThat(filter.excludes("a.txt")).isFalse();
    assertThat(filter.excludes(".s2iignore")).isFalse();
  }

  @Test
  void negationOnlyAffectsEarlierLines(@TempDir Path root) throws Exception {
    touch(root, "a.log");
    touch(root, "b.log");
    IgnoreRules rules = IgnoreRules.parse(List.of("!b.log", "*.log"));
    assertThat(rules.ignoredPaths(root)).containsExactlyInAnyOrder("a.log", "b.log");
  }

  @Test
  void blankAndCommentLinesAreSkippedAndLinesTrimmed(@TempDir Path root) throws Exception {
    touch(root, "x.txt");
    touch(root, "#y");
    IgnoreRules rules = IgnoreRules.parse(List.of("", "   ", "# x.txt", "  x.txt  "));
    assertThat(rules.ignoredPaths(root)).containsExactly("x.txt");
  }

  @Test
  void noRulesIgnoreNothing(@TempDir Path root) throws Exception {
    touch(root, "a.log");
    assertThat(IgnoreRules.none().isEmpty()).isTrue();
    assertThat(IgnoreRules.none().ignoredPaths(root)).isEmpty();
    assertThat(IgnoreRules.read(root.resolve("missing")).isEmpty()).isTrue();
    assertThat(IgnoreRules.parse(List.of("# only", "")).isEmpty()).isTrue();
  }

  @Test
  void leadingSlashIsRelativeToTheRoot(@TempDir Path root) throws Exception {
    touch(root, "a.log");
    touch(root, "d/a.log");
    assertThat(IgnoreRules.parse(List.of("/a.log")).ignoredPaths(root)).containsExactly("a.log");
  }

  @Test
  void bracesAreLiteral(@TempDir Path root) throws Exception {
    touch(root, "a.txt");
    touch(root, "{a,b}.txt");
    assertThat(IgnoreRules.parse(List.of("{a,b}.txt")).ignoredPaths(root)).containsExactly("{a,b}.txt");
  }

  @Test
  void globsArePathCleanedAsUpstreamJoinsThemToTheRoot(@TempDir Path root) throws Exception {
    touch(root, "a.log");
    touch(root, "sub/b.log");
    assertThat(IgnoreRules.parse(List.of("./a.log", "sub/../sub/b.log")).ignoredPaths(root))
        .containsExactlyInAnyOrder("a.log", "sub/b.log");
  }

  @Test
  void caretNegatesACharacterClassAsInGo(@TempDir Path root) throws Exception {
    touch(root, "a.log");
    touch(root, "b.log");
    touch(root, "^.log");
    assertThat(IgnoreRules.parse(List.of("[^b].log")).ignoredPaths(root))
        .containsExactlyInAnyOrder("a.log", "^.log");
    // in Go, '!' is an ordinary class member
    assertThat(IgnoreRules.parse(List.of("[!b].log")).ignoredPaths(root)).containsExactly("b.log");
  }

  @Test
  void doubleStarDoesNotCrossDirectoriesAsInGo(@TempDir Path root) throws Exception {
    touch(root, "top.log");
    touch(root, "one/a.log");
    touch(root, "one/two/b.log");
    assertThat(IgnoreRules.parse(List.of("**/*.log")).ignoredPaths(root)).containsExactly("one/a.log");
    assertThat(IgnoreRules.parse(List.of("**.log")).ignoredPaths(root)).containsExactly("top.log");
  }

  @Test
  void malformedPatternMatchesNothingAndOtherLinesStillApply(@TempDir Path root) throws Exception {
    touch(root, "a.log");
    touch(root, "[abc");
    assertThat(IgnoreRules.parse(List.of("[abc", "[]", "x\\", "[b-a]", "a.log")).ignoredPaths(root))
        .containsExactly("a.log");
  }

  @Test
  void rangesEscapesAndQuestionMark(@TempDir Path root) throws Exception {
    touch(root, "a1.txt");
    touch(root, "a2.txt");
    touch(root, "a9.txt");
    touch(root, "*.txt");
    touch(root, "sub/a1.txt");
    assertThat(IgnoreRules.parse(List.of("a[1-2].txt")).ignoredPaths(root))
        .containsExactlyInAnyOrder("a1.txt", "a2.txt");
    assertThat(IgnoreRules.parse(List.of("\\*.txt")).ignoredPaths(root)).containsExactly("*.txt");
    assertThat(IgnoreRules.parse(List.of("a?.txt")).ignoredPaths(root))
        .containsExactlyInAnyOrder("a1.txt", "a2.txt", "a9.txt");
    assertThat(IgnoreRules.parse(List.of("sub?a1.txt")).ignoredPaths(root)).isEmpty();
  }

  @Test
  void patternsLeavingTheRootMatchNothing(@TempDir Path root) throws Exception {
    touch(root, "a.log");
    assertThat(IgnoreRules.parse(List.of(".", "..", "../a.log", "./")).ignoredPaths(root)).isEmpty();
  }
}
