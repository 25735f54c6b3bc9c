package io.s2i.service.triggers.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RefMatcherTest {

  @Test
  void withoutAConfiguredRefMasterIsBuilt() {
    RefMatcher matcher = RefMatcher.forConfigRef(Optional.empty());

    assertThat(matcher.configRef()).isEqualTo("master");
    assertThat(matcher.matches("refs/heads/master")).isTrue();
    assertThat(matcher.matches("master")).isTrue();
    assertThat(matcher.matches("refs/heads/main")).isFalse();
    assertThat(matcher.matches("refs/tags/master")).isFalse();
    assertThat(RefMatcher.forConfigRef(Optional.of("  ")).configRef()).isEqualTo("master");
  }

  @Test
  void refsHeadsIsIgnoredOnBothSides() {
    assertThat(RefMatcher.forConfigRef(Optional.of("refs/heads/release/1.x")).matches("refs/heads/release/1.x")).isTrue();
    assertThat(RefMatcher.forConfigRef(Optional.of("release/1.x")).matches("refs/heads/release/1.x")).isTrue();
  }

  @Test
  void aTagConfigurationMatchesOnlyThatTag() {
    RefMatcher onTag = RefMatcher.forConfigRef(Optional.of("refs/tags/v1"));

    assertThat(onTag.matches("refs/tags/v1")).isTrue();
    assertThat(onTag.matches("refs/heads/v1")).isFalse();
    assertThat(onTag.describeConfigRef()).isEqualTo("refs/tags/v1");
  }

  @Test
  void reasonsSayWhatCameAndWhatIsBuilt() {
    RefMatcher main = RefMatcher.forConfigRef(Optional.of("main"));

    assertThat(main.skipReason("refs/heads/feature/x"))
        .isEqualTo("a push to branch feature/x does not build this configuration, which builds branch main");
    assertThat(main.skipReason("refs/tags/v1.2"))
        .isEqualTo("a push of tag v1.2 does not build this configuration, which builds branch main");
    assertThat(main.skipReason("refs/notes/commits")).startsWith("a push to refs/notes/commits");
  }

  @Test
  void refNamesFollowGitsRules() {
    for (String good : new String[] {"refs/heads/main", "refs/heads/feature/ABC-1_x.y", "main", "refs/tags/v1.0+build"}) {
      assertThat(RefMatcher.isValidRef(good)).as(good).isTrue();
    }
    for (String bad : new String[] {"", "refs/heads/a b", "refs/heads/a..b", "refs/heads/a~1", "refs/heads/a^",
        "refs/heads/a:b", "refs/heads/x.lock", "refs/heads/", "/refs", "refs//heads", "a\nb", "a\u0000", "@",
        "refs/heads/a@{1}", "x".repeat(1025)}) {
      assertThat(RefMatcher.isValidRef(bad)).as(bad).isFalse();
    }
  }
}
