package io.s2i.internal.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceLocationTest {

  @ParameterizedTest
  @ValueSource(strings = {"app", "./rel", "/abs/dir", "../up", "app6/sub", "dir with space"})
  void localPaths(String text) throws Exception {
    SourceLocation loc = SourceLocation.parse(text);
    assertThat(loc).isInstanceOf(SourceLocation.Local.class);
    SourceLocation.Local local = (SourceLocation.Local) loc;
    assertThat(local.path()).isEqualTo(Path.of(text));
    assertThat(local.asTyped()).isEqualTo(text);
  }

  @Test
  void fileUrlWithEmptyHostIsLocal() throws Exception {
    SourceLocation loc = SourceLocation.parse("file:///abs/dir");
    assertThat(loc).isEqualTo(new SourceLocation.Local(Path.of("/abs/dir"), "file:///abs/dir"));
  }

  @Test
  void fileUrlWithHostIsAnError() {
    assertThatThrownBy(() -> SourceLocation.parse("file://relhost/tmp/x"))
        .isInstanceOf(SourceFetchException.class)
        .hasMessage("file url \"file://relhost/tmp/x\" has non-empty host \"relhost\"");
    assertThatThrownBy(() -> SourceLocation.parse("file://host"))
        .hasMessageContaining("non-empty host \"host\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://github.com/org/repo.git", "http://h/r", "git://h/r", "ssh://git@h/r",
      "git@github.com:org/repo", "git@github.com:org/repo.git", "github.com:org/repo",
      "localhost:5000/x", "http::http://host/x", "user@host:path"})
  void remoteLocations(String text) throws Exception {
    assertThat(SourceLocation.parse(text)).isEqualTo(new SourceLocation.Remote(text));
  }
}
