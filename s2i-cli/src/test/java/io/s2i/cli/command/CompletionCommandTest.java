package io.s2i.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.cli.S2iCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import io.s2i.testing.engine.EngineAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code s2i completion}: the scripts load in each shell and complete sub-commands and flags. */
class CompletionCommandTest {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  private static Run s2i(String... args) {
    CommandLine cl = S2iCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static String shell(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }


  @Test
  void bashScriptCompletesSubcommandsAndFlags() throws Exception {
    Path script = tmp.resolve("s2i.bash");
    Files.writeString(script, s2i("completion", "bash").out());
    // compopt complains outside a real completion; only COMPREPLY matters here.
    String out = shell("bash", "-c", "exec 2>/dev/null; source " + script + "; "
        + "COMP_WORDS=(s2i bu); COMP_CWORD=1; _complete_s2i; echo \"${COMPREPLY[@]}\"; "
        + "COMP_WORDS=(s2i build --as-d); COMP_CWORD=2; _complete_s2i; echo \"${COMPREPLY[@]}\"; "
        + "COMP_WORDS=(s2i c); COMP_CWORD=1; _complete_s2i; echo \"${COMPREPLY[@]}\"");
    assertThat(out.lines().toList()).containsExactly("build builds", "--as-dockerfile", "cache completion create cancel-build");
  }

  @Test
  void zshLoadsTheSameScriptThroughBashcompinit() throws Exception {
    EngineAvailability.requireOrSkip(EngineAvailability.onPath("zsh"), "zsh is not installed (scripts/ensure-tools.sh installs it)");
    Path script = tmp.resolve("s2i.zsh");
    Files.writeString(script, s2i("completion", "zsh").out());
    String out = shell("zsh", "-c", "autoload -U compinit && compinit -u && source " + script
        + " && complete -p s2i");
    assertThat(out).contains("_complete_s2i").contains(" s2i");
  }

  @Test
  void fishScriptCompletesSubcommandsAndFlags() throws Exception {
    String script = s2i("completion", "fish").out();
    assertThat(script).contains("complete -c s2i -n __fish_use_subcommand -a build ")
        .contains("complete -c s2i -n '__fish_seen_subcommand_from build' -s r -l ref -r ");
    EngineAvailability.requireOrSkip(EngineAvailability.onPath("fish"), "fish is not installed (scripts/ensure-tools.sh installs it)");
    Path file = tmp.resolve("s2i.fish");
    Files.writeString(file, script);
    String out = shell("fish", "-c", "source " + file + "; complete -C 's2i bu'; complete -C 's2i build --as-'");
    assertThat(out).contains("build\tBuild a new image").contains("--as-dockerfile\t");
  }

  @Test
  void missingExtraOrUnknownShellIsAUsageError() {
    assertThat(s2i("completion").err()).contains("ERROR: shell not specified");
    assertThat(s2i("completion").code()).isEqualTo(2);
    assertThat(s2i("completion", "bash", "zsh").err()).contains("too many arguments");
    Run tcsh = s2i("completion", "tcsh");
    assertThat(tcsh.code()).isEqualTo(2);
    assertThat(tcsh.err()).contains("unsupported shell type \"tcsh\"");
    assertThat(tcsh.out()).isEmpty();
  }
}
