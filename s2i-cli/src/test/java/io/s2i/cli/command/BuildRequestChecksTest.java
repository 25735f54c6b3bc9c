package io.s2i.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.cli.S2iCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Mistakes {@code s2i build} finds before it opens an engine: each gets exit code 2 and one line
 * naming the flag and what is wrong, and nothing is made on the host. (Run in this JVM: an engine
 * opened by mistake would show as a different error.)
 */
class BuildRequestChecksTest {
  @TempDir Path tmp;

  record Run(int code, String err) {}

  private Run build(String... extra) {
    List<String> args = new ArrayList<>(List.of("--engine", "no-engine-reached", "build", tmp.toString(),
        "localhost/s2i-test/builder"));
    args.addAll(List.of(extra));
    CommandLine cl = S2iCli.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args.toArray(String[]::new));
    return new Run(code, err.toString());
  }

  private void refused(Run run, String... fragments) {
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    List<String> errors = run.err().lines().filter(l -> l.startsWith("ERROR: ")).toList();
    assertThat(errors).as(run.err()).hasSize(1);
    assertThat(errors.get(0)).contains(fragments).doesNotContain("run.", "scripts.destination");
  }

  @Test
  void unknownCapabilitiesAreRefusedAsDockerRefusesThem() {
    refused(build("out:1", "--cap-drop", "KILL,FLY"), "--cap-drop", "unknown capability \"FLY\"");
  }

  @Test
  void aRelativeDestinationIsRefused() {
    refused(build("out:1", "--destination", "relative/dir"), "--destination \"relative/dir\" is not an absolute path");
  }

  @Test
  void aDigestIsNoTag() {
    refused(build("localhost/app@sha256:" + "a".repeat(64)), "names a digest", "name:tag");
  }

  @Test
  void aDescriptionOverTheLabelLimitIsRefused() {
    refused(build("out:1", "--description", "x".repeat(11_000)), "over the 10240 bytes");
  }

  @Test
  void resultFilesAndOutputsThatCannotBeWrittenAreNamedTruly() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("results"));
    refused(build("out:1", "--output-json", dir.toString()), "--output-json " + dir, "it is a directory");
    refused(build("oci:/proc/s2i-out:1"), "/proc/s2i-out", "nothing can be made in /proc");
    refused(build("oci:" + tmp.resolve("no/such/dir").resolve("x") + ":1", "--output-json",
        tmp.resolve("missing/r.json").toString()), "its directory " + tmp.resolve("missing") + " does not exist");
  }

  @Test
  void volumesMustNameAnExistingHostPathOrAVolume() {
    Path missing = tmp.resolve("missing");
    refused(build("out:1", "-v", missing + ":/data"), "--volume", "the host path " + missing + " does not exist");
    assertThat(missing).doesNotExist();
    refused(build("out:1", "-v", "rel/dir:/data"), "relative host path");
  }

  @Test
  void timeoutsAreDurations() {
    Run run = build("out:1", "--assemble-timeout", "soon");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("invalid duration \"soon\"");
  }
}
