package io.s2i.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.EnvVar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentFilesTest {

  private static List<String> entries(List<EnvVar> vars) {
    return vars.stream().map(EnvVar::toEntry).toList();
  }

  @Test
  void sourceEnvironmentVerifiedExample() {
    List<EnvVar> vars = EnvironmentFiles.parseSourceEnvironment(
        List.of("FOO=from_s2i_env", "BAR = spaced ", "BADLINE", "SHARED=s2ienv"));
    assertThat(entries(vars)).containsExactly("FOO=from_s2i_env", "BAR=spaced", "SHARED=s2ienv");
  }

  @Test
  void sourceEnvironmentSkipsCommentsEmptyNamesAndBlankLines() {
    List<EnvVar> vars = EnvironmentFiles.parseSourceEnvironment(
        List.of("# FOO=comment", "", "=novalue", "  =x", "A=1=2,3", "EMPTY="));
    assertThat(entries(vars)).containsExactly("A=1=2,3", "EMPTY=");
  }

  @Test
  void sourceEnvironmentKeepsDuplicatesInOrder() {
    List<EnvVar> vars = EnvironmentFiles.parseSourceEnvironment(List.of("A=1", "B=2", "A=3"));
    assertThat(entries(vars)).containsExactly("A=1", "B=2", "A=3");
  }

  @Test
  void sourceEnvironmentDoesNotTreatSlashesAsComments() {
    List<EnvVar> vars = EnvironmentFiles.parseSourceEnvironment(List.of("//X=1"));
    assertThat(entries(vars)).containsExactly("//X=1");
  }

  @Test
  void readSourceEnvironmentOfMissingFileIsEmpty(@TempDir Path dir) throws Exception {
    assertThat(EnvironmentFiles.readSourceEnvironment(dir.resolve(".s2i/environment"))).isEmpty();
    assertThat(EnvironmentFiles.readSourceEnvironment(dir)).isEmpty();
  }

  @Test
  void readSourceEnvironmentReadsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("environment");
    Files.writeString(file, "FOO=from_s2i_env\nBAR = spaced \nBADLINE\n");
    assertThat(entries(EnvironmentFiles.readSourceEnvironment(file)))
        .containsExactly("FOO=from_s2i_env", "BAR=spaced");
  }

  @Test
  void environmentFileSkipsCommentsSlashesAndLinesWithoutEquals() {
    List<EnvVar> vars = EnvironmentFiles.parseEnvironmentFile(List.of(
        "# comment=x", "  // slash=comment", "//X=1", "NOEQUALS", "", "   ", "=nameless",
        "  A = one  ", "B=x=y,z"));
    assertThat(entries(vars)).containsExactly("A=one", "B=x=y,z");
  }

  @Test
  void environmentFileLaterDuplicateOverwritesButKeepsFirstPosition() {
    List<EnvVar> vars = EnvironmentFiles.parseEnvironmentFile(
        List.of("A=1", "B=2", "C=3", "A=last"));
    assertThat(entries(vars)).containsExactly("A=last", "B=2", "C=3");
  }

  @Test
  void environmentFileTrimsBeforeCheckingForComments() {
    List<EnvVar> vars = EnvironmentFiles.parseEnvironmentFile(List.of("   # A=1", "\t// B=2", "C=3"));
    assertThat(entries(vars)).containsExactly("C=3");
  }
}
