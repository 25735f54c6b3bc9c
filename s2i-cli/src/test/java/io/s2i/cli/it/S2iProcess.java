package io.s2i.cli.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code bin/s2i} as a user would, in its own process. */
final class S2iProcess {
  static final Path REPO = Path.of(System.getProperty("s2i.repo.root", "../")).toAbsolutePath().normalize();
  /**
   * The engine every scenario runs on ({@code -Ds2i.it.engine=oci} runs the whole suite on the
   * daemonless engine); empty for the CLI's default choice.
   */
  static final String ENGINE = System.getProperty("s2i.it.engine", "").trim();

  private S2iProcess() {}

  record Result(int exitCode, String stdout, String stderr) {
    String all() {
      return stdout + stderr;
    }
  }

  /** A started process, for tests that signal it. */
  static Process start(Path workDir, Path tmpDir, Map<String, String> env, String... args) throws IOException {
    return start(true, workDir, tmpDir, env, args);
  }

  /** With {@code chooseEngine} false, the suite's {@link #ENGINE} is not added: the args are all. */
  private static Process start(boolean chooseEngine, Path workDir, Path tmpDir, Map<String, String> env,
      String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(REPO.resolve("bin/s2i").toString());
    if (chooseEngine && !ENGINE.isEmpty() && Arrays.stream(args).noneMatch(a -> a.equals("--engine"))) {
      cmd.add("--engine");
      cmd.add(ENGINE);
    }
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().put("S2I_JAVA_OPTS", "-Djava.io.tmpdir=" + tmpDir);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return pb.start();
  }

  static Result run(Path workDir, Path tmpDir, String... args) {
    return run(workDir, tmpDir, Map.of(), args);
  }

  static Result run(Path workDir, Path tmpDir, Map<String, String> env, String... args) {
    return run(true, workDir, tmpDir, env, args);
  }

  /** Runs {@code bin/s2i} with exactly {@code args}: no engine is named for it. */
  static Result runAsGiven(Path workDir, Path tmpDir, Map<String, String> env, String... args) {
    return run(false, workDir, tmpDir, env, args);
  }

  private static Result run(boolean chooseEngine, Path workDir, Path tmpDir, Map<String, String> env,
      String... args) {
    try {
      Process p = start(chooseEngine, workDir, tmpDir, env, args);
      var errReader = new java.util.concurrent.CompletableFuture<byte[]>();
      Thread t = new Thread(() -> {
        try {
          errReader.complete(p.getErrorStream().readAllBytes());
        } catch (IOException e) {
          errReader.completeExceptionally(e);
        }
      });
      t.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("s2i " + String.join(" ", args) + " timed out");
      }
      byte[] err = errReader.get(30, TimeUnit.SECONDS);
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
