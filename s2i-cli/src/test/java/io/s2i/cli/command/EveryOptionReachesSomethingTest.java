package io.s2i.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.cli.S2iCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * No option is accepted in vain: every option of every command, global ones included, either
 * changes what the command will do (its {@link Planned#plan()}, from which it runs) or is refused
 * with a clear error. A new option without a sample here fails the test, so it cannot be added
 * without saying what it reaches. Commands that run from no plan refuse the global options they
 * cannot use, and their own options are at least read by their code.
 */
class EveryOptionReachesSomethingTest {
  @TempDir static Path tmp;
  private static final String TCP = "tcp://127.0.0.1:2376";
  /** The arguments each command is planned with; an option's sample is added to them. */
  private static final Map<String, List<String>> BASE = new HashMap<>();
  /** Per option: the arguments that set it, and those it needs beside it (added to both plans). */
  private static final Map<String, Sample> SAMPLES = new HashMap<>();
  /** Options read outside the plans, and where that is proven. */
  private static final Map<String, String> READ_ELSEWHERE = Map.of(
      "--stacktrace", "read by the error reporter (stacktraceAddsTheTraceToTheErrorLine)");

  record Sample(List<String> with, List<String> context) {}

  private static void sample(String option, List<String> with) {
    SAMPLES.put(option, new Sample(with, List.of()));
  }

  private static void sample(String option, List<String> with, List<String> context) {
    SAMPLES.put(option, new Sample(with, context));
  }

  @BeforeAll
  static void samples() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Path envFile = Files.writeString(tmp.resolve("env"), "FROM_FILE=1\n");
    Path pem = Files.writeString(tmp.resolve("x.pem"), "not read while planning\n");
    Path dockercfg = Files.writeString(tmp.resolve("config.json"), "{}");
    BASE.put("build", List.of("build", app.toString(), "localhost/builder:1", "localhost/out:1"));
    BASE.put("rebuild", List.of("rebuild", "localhost/out:1"));
    BASE.put("usage", List.of("usage", "localhost/builder:1"));
    BASE.put("generate", List.of("generate", "localhost/builder:1", tmp.resolve("gen/Dockerfile").toString()));
    BASE.put("detect", List.of("detect", app.toString()));
    Path catalogue = Files.writeString(tmp.resolve("builders.yaml"), "builders: []\n");

    sample("--loglevel", List.of("--loglevel", "3"));
    sample("--url", List.of("-U", TCP));
    sample("--engine", List.of("--engine", "oci"));
    sample("--tlsverify", List.of("--tlsverify"), List.of("-U", TCP));
    sample("--tls", List.of("--tls"), List.of("-U", TCP));
    for (String file : List.of("--ca", "--cert", "--key")) {
      sample(file, List.of(file, pem.toString()), List.of("-U", TCP, "--tlsverify"));
    }

    sample("--env", List.of("-e", "A=1"));
    sample("--environment-file", List.of("-E", envFile.toString()));
    sample("--build-env", List.of("--build-env", "TOKEN=t"));
    sample("--scripts-url", List.of("-s", "file:///tmp/scripts"));
    sample("--scripts", List.of("--scripts", "file:///tmp/scripts"));
    sample("--image-scripts-url", List.of("--image-scripts-url", "image:///opt/s2i"));
    sample("--destination", List.of("-d", "/opt/in"));
    sample("--location", List.of("-l", "/opt/in"));
    sample("--assemble-user", List.of("--assemble-user", "1002"));
    sample("--allowed-uids", List.of("-u", "1-"));
    sample("--exclude", List.of("--exclude", "x$"));
    sample("--copy", List.of("-c"));
    sample("--keep-symlinks", List.of("--keep-symlinks"));
    sample("--inject", List.of("-i", app + ":/tmp/in"));
    sample("--volume", List.of("-v", "/tmp:/x"));
    sample("--network", List.of("--network", "none"));
    sample("--add-host", List.of("--add-host", "h:127.0.0.2"));
    sample("--cap-drop", List.of("--cap-drop", "KILL"));
    sample("--pull-policy", List.of("-p", "never"));
    sample("--quiet", List.of("-q"));
    sample("--application-name", List.of("-n", "app"));
    sample("--description", List.of("--description", "an app"));
    sample("--label", List.of("--label", "team=web"));
    sample("--callback-url", List.of("--callback-url", "http://127.0.0.1:1/cb"));
    sample("--assemble-timeout", List.of("--assemble-timeout", "90m"));
    sample("--save-artifacts-timeout", List.of("--save-artifacts-timeout", "30s"));
    sample("--run", List.of("--run"));
    sample("--keep-inputs", List.of("--keep-inputs"));
    sample("--no-cache", List.of("--no-cache"));
    sample("--save-temp-dir", List.of("--save-temp-dir"));
    sample("--ref", List.of("-r", "main"));
    sample("--context-dir", List.of("--context-dir", "sub"));
    sample("--ignore-submodules", List.of("--ignore-submodules"));
    sample("--incremental", List.of("--incremental"));
    sample("--incremental-pull-policy", List.of("--incremental-pull-policy", "never"), List.of("--incremental"));
    sample("--rm", List.of("--rm"), List.of("--incremental"));
    sample("--runtime-image", List.of("--runtime-image", "localhost/runtime:1"));
    List<String> runtime = List.of("--runtime-image", "localhost/runtime:1");
    sample("--runtime-artifact", List.of("-a", "/opt/app/x.jar:lib"), runtime);
    sample("--runtime-pull-policy", List.of("--runtime-pull-policy", "never"), runtime);
    sample("--assemble-runtime-user", List.of("--assemble-runtime-user", "1003"), runtime);
    // rebuild takes the runtime image from the image's labels.
    sample("rebuild --runtime-pull-policy", List.of("--runtime-pull-policy", "never"));
    sample("generate --assemble-runtime-user", List.of("--assemble-runtime-user", "1003"));
    // usage refuses these, --incremental included: alone they are refused too.
    sample("usage --rm", List.of("--rm"));
    sample("usage --incremental-pull-policy", List.of("--incremental-pull-policy", "never"));
    sample("usage --runtime-pull-policy", List.of("--runtime-pull-policy", "never"));
    sample("--as-dockerfile", List.of("--as-dockerfile", tmp.resolve("out/Dockerfile").toString()));
    sample("--use-config", List.of("--use-config"));
    sample("--dockercfg-path", List.of("--dockercfg-path", dockercfg.toString()));
    sample("--push", List.of("--push"));
    sample("--digest-file", List.of("--digest-file", tmp.resolve("digest").toString()), List.of("--push"));
    sample("--output-json", List.of("--output-json", tmp.resolve("result.json").toString()));
    sample("--source-date-epoch", List.of("--source-date-epoch", "1700000000"));
    // Detection (s2i detect, build --detect): build refuses --detect with three arguments, and
    // --builders and --strategy without --detect.
    sample("--detect", List.of("--detect"));
    sample("--builders", List.of("--builders", catalogue.toString()));
    sample("--strategy", List.of("--strategy", "docker"));
    sample("--as-file", List.of("--as-file", "app.jar"));
    sample("--from-archive", List.of("--from-archive"));
    sample("--output", List.of("-o", "json"));
  }

  /** A plan, or the failure that refused the arguments. */
  record Refused(FailureReason reason, String message) {}

  private static Object plan(List<String> args) {
    CommandLine cl = S2iCli.commandLine();
    CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
    Planned command = (Planned) parsed.subcommand().commandSpec().userObject();
    try {
      return command.plan();
    } catch (S2iException e) {
      return new Refused(e.reason(), e.getMessage());
    }
  }

  @Test
  void everyOptionOfACommandThatRunsFromAPlanChangesItOrIsRefused() {
    List<String> checked = new ArrayList<>();
    CommandLine root = S2iCli.commandLine();
    for (var entry : root.getSubcommands().entrySet()) {
      String command = entry.getKey();
      if (!(entry.getValue().getCommandSpec().userObject() instanceof Planned)) {
        continue;
      }
      assertThat(BASE).as("base arguments of " + command).containsKey(command);
      for (OptionSpec option : entry.getValue().getCommandSpec().options()) {
        String name = option.longestName();
        if (option.usageHelp() || option.versionHelp() || READ_ELSEWHERE.containsKey(name)) {
          continue;
        }
        Sample sample = SAMPLES.getOrDefault(command + " " + name, SAMPLES.get(name));
        assertThat(sample).as(command + " accepts " + name + ": add a sample that sets it to this test").isNotNull();
        List<String> without = new ArrayList<>(BASE.get(command));
        without.addAll(sample.context());
        List<String> with = new ArrayList<>(without);
        with.addAll(sample.with());
        Object before = plan(without);
        assertThat(before).as("s2i " + String.join(" ", without) + " is a plan").isNotInstanceOf(Refused.class);
        Object after = plan(with);
        if (after instanceof Refused refused) {
          assertThat(refused.reason()).as(command + " " + name).isEqualTo(FailureReason.INVALID_REQUEST);
          assertThat(refused.message()).as(command + " " + name).contains(name);
        } else {
          assertThat(after).as("s2i " + command + " " + name + " changes nothing it will do").isNotEqualTo(before);
        }
        checked.add(command + " " + name);
      }
    }
    assertThat(checked).contains("build --env", "build --tlsverify", "rebuild --incremental",
        "rebuild --runtime-pull-policy", "rebuild --dockercfg-path", "usage --dockercfg-path", "usage --rm",
        "generate --assemble-user").hasSizeGreaterThan(100);
  }

  @Test
  void commandsWithoutAPlanRefuseTheGlobalOptionsTheyCannotUse() throws Exception {
    CommandLine root = S2iCli.commandLine();
    List<String> checked = new ArrayList<>();
    for (var entry : root.getSubcommands().entrySet()) {
      String command = entry.getKey();
      if (entry.getValue().getCommandSpec().userObject() instanceof Planned) {
        continue;
      }
      for (OptionSpec option : entry.getValue().getCommandSpec().options()) {
        String name = option.longestName();
        if (option.usageHelp() || option.versionHelp() || READ_ELSEWHERE.containsKey(name)
            || !option.inherited() // a command's own options: ownOptionsOfCommandsWithoutAPlanAreRead
            || (command.equals("create") && name.equals("--loglevel"))) {
          continue; // create prints the files it wrote at --loglevel 2
        }
        if (command.equals("openshift-build")) {
          continue; // hands every global option to the build it runs (OpenShiftBuildTest)
        }
        if (List.of("serve", "cleanup").contains(command) && !name.equals("--loglevel")) {
          continue; // these open the engine they name: serveUsesTheEngineItIsGiven, cleanupAndCacheUseTheEngineTheyAreGiven
        }
        Sample sample = SAMPLES.get(name);
        assertThat(sample).as(command + " accepts " + name + ": add a sample that sets it to this test").isNotNull();
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(sample.with());
        args.addAll(switch (command) {
          case "create" -> List.of("localhost/b", tmp.resolve("created-" + name.substring(2)).toString());
          case "completion" -> List.of("bash");
          case "apply" -> List.of("-f", tmp.resolve("absent.yaml").toString());
          case "start-build", "cancel-build", "describe", "logs" -> List.of("app");
          case "login" -> List.of("--token", "t");
          case "fetch-input" -> List.of("--from", "http://127.0.0.1:1/input", "--token-file",
              tmp.resolve("token").toString(), "--kind", "dir", "--into", tmp.resolve("fetched").toString());
          default -> List.of();
        });
        StringWriter err = new StringWriter();
        CommandLine cl = S2iCli.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute(args.toArray(String[]::new))).as("s2i " + String.join(" ", args)).isEqualTo(2);
        assertThat(err.toString()).as("s2i " + String.join(" ", args)).contains(name + " does not apply to s2i " + command);
        checked.add(command + " " + name);
      }
    }
    assertThat(tmp.resolve("created-url")).doesNotExist();
    assertThat(checked).contains("create --url", "version --tlsverify", "start-build --engine", "builds --url",
        "serve --loglevel", "logs --loglevel", "fetch-input --loglevel", "fetch-input --url");
  }

  /** cleanup and the cache's subcommands open the engine they are given, as build does (exit 7 naming it). */
  @Test
  void cleanupAndCacheUseTheEngineTheyAreGiven() {
    for (String[] args : List.of(new String[] {"cleanup", "-U", "tcp://127.0.0.1:1"},
        new String[] {"cache", "ls", "--engine", "docker", "-U", "tcp://127.0.0.1:1"},
        new String[] {"--engine", "docker", "cache", "prune", "-U", "tcp://127.0.0.1:1"})) {
      StringWriter err = new StringWriter();
      CommandLine cl = S2iCli.commandLine();
      cl.setErr(new PrintWriter(err));
      cl.setOut(new PrintWriter(new StringWriter()));
      int exit = cl.execute(args);
      assertThat(exit).as(String.join(" ", args) + ": " + err).isEqualTo(FailureReason.ENGINE_UNAVAILABLE.exitCode());
      assertThat(err.toString()).doesNotContain("does not apply");
    }
  }

  /** serve opens the engine the global options name: a named endpoint that does not answer is exit 7 naming it. */
  @Test
  void serveUsesTheEngineItIsGiven() {
    StringWriter err = new StringWriter();
    CommandLine cl = S2iCli.commandLine();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    int exit = cl.execute("serve", "-U", "tcp://127.0.0.1:1", "--port", "0", "--data-dir",
        tmp.resolve("serve").toString(), "--no-client-config");
    assertThat(exit).as(err.toString()).isEqualTo(FailureReason.ENGINE_UNAVAILABLE.exitCode());
    assertThat(err.toString()).contains("tcp://127.0.0.1:1");

    StringWriter tlsErr = new StringWriter();
    CommandLine tls = S2iCli.commandLine();
    tls.setErr(new PrintWriter(tlsErr));
    assertThat(tls.execute("serve", "--tlsverify", "--port", "0", "--data-dir", tmp.resolve("serve").toString(),
        "--no-client-config")).isEqualTo(2);
    assertThat(tlsErr.toString()).contains("applies to a tcp:// engine endpoint").doesNotContain("does not apply");
  }

  /**
   * The options of the commands that do not run from a plan (the build service's commands, create,
   * completion) cannot be compared by plan; at the least each one must be read by the CLI's code:
   * an option whose field nothing reads is accepted in vain. (What each does is proven by the
   * service's tests: ServeProcessIT drives serve and the client commands.)
   */
  @Test
  void ownOptionsOfCommandsWithoutAPlanAreRead() throws Exception {
    JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importLocations(Set.of(Location.of(S2iCli.class.getProtectionDomain().getCodeSource().getLocation().toURI())));
    List<String> checked = new ArrayList<>();
    List<String> unread = new ArrayList<>();
    CommandLine root = S2iCli.commandLine();
    for (var entry : root.getSubcommands().entrySet()) {
      String command = entry.getKey();
      if (entry.getValue().getCommandSpec().userObject() instanceof Planned) {
        continue;
      }
      for (OptionSpec option : entry.getValue().getCommandSpec().options()) {
        if (option.usageHelp() || option.versionHelp() || option.inherited()) {
          continue;
        }
        assertThat(option.userObject()).as(command + " " + option.longestName() + " is an annotated field")
            .isInstanceOf(Field.class);
        Field field = (Field) option.userObject();
        JavaField javaField = classes.get(field.getDeclaringClass()).getField(field.getName());
        boolean read = javaField.getAccessesToSelf().stream()
            .anyMatch(access -> access.getAccessType() == JavaFieldAccess.AccessType.GET);
        if (!read) {
          unread.add(command + " " + option.longestName());
        }
        checked.add(command + " " + option.longestName());
      }
    }
    assertThat(unread).as("options no code reads").isEmpty();
    assertThat(checked).contains("serve --address", "serve --on-interrupted", "start-build --from-dir",
        "login --token-file", "builds --limit").hasSizeGreaterThan(25);
  }

  @Test
  void stacktraceAddsTheTraceToTheErrorLine() {
    StringWriter plain = new StringWriter();
    CommandLine cl = S2iCli.commandLine();
    cl.setErr(new PrintWriter(plain));
    assertThat(cl.execute("usage")).isEqualTo(2);
    StringWriter traced = new StringWriter();
    CommandLine withTrace = S2iCli.commandLine();
    withTrace.setErr(new PrintWriter(traced));
    assertThat(withTrace.execute("--stacktrace", "usage")).isEqualTo(2);
    assertThat(plain.toString()).startsWith("ERROR: s2i usage needs a builder image").doesNotContain("\tat ");
    assertThat(traced.toString()).startsWith("ERROR: s2i usage needs a builder image").contains("\tat io.s2i.cli");
  }
}
