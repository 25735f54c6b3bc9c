package io.s2i.testing.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * One process running in a {@link FakeEngine} container, as a {@link FakeProgram} sees it: its
 * arguments, environment, user and working directory, the container's files, and its standard
 * streams.
 */
public final class FakeProcess {
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private final FakeContainer container;
  private final long uid;
  private final long gid;
  private final List<String> args;
  private final Map<String, String> env;
  private final String workingDir;
  private final InputStream stdin;
  private final OutputStream stdout;
  private final OutputStream stderr;

  FakeProcess(FakeContainer container, long uid, long gid, List<String> args, Map<String, String> env,
      String workingDir, InputStream stdin, OutputStream stdout, OutputStream stderr) {
    this.container = container;
    this.uid = uid;
    this.gid = gid;
    this.args = List.copyOf(args);
    this.env = Map.copyOf(env);
    this.workingDir = workingDir;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The arguments, the program's own name first (as {@code argv}). */
  public List<String> args() {
    return args;
  }

  /** The environment. */
  public Map<String, String> env() {
    return env;
  }

  /** An environment variable, if set. */
  public Optional<String> env(String name) {
    return Optional.ofNullable(env.get(name));
  }

  /** The user the container runs as, as the spec or image named it (empty: root). */
  public String user() {
    return container.user();
  }

  /** The numeric user id. */
  public long uid() {
    return uid;
  }

  /** The numeric group id. */
  public long gid() {
    return gid;
  }

  /** The working directory. */
  public String workingDir() {
    return workingDir;
  }

  /** The container's files. */
  public FakeFileSystem files() {
    return container.files();
  }

  /** Standard input: the stream the engine feeds, else empty. */
  public InputStream stdin() {
    return stdin;
  }

  /** Standard output (raw bytes). */
  public OutputStream stdout() {
    return stdout;
  }

  /** Standard error (raw bytes). */
  public OutputStream stderr() {
    return stderr;
  }

  /** Prints a line on stdout. */
  public void out(String line) throws IOException {
    stdout.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdout.flush();
  }

  /** Prints a line on stderr. */
  public void err(String line) throws IOException {
    stderr.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stderr.flush();
  }

  /** {@code path} made absolute against the working directory. */
  public String path(String path) {
    return FakeFileSystem.normalize(workingDir, path);
  }

  /** A file's text (relative paths against the working directory). */
  public String readFile(String path) throws IOException {
    try (InputStream in = files().openRead(path(path))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Writes a text file, owned by this process's user, creating its parent directories. */
  public void writeFile(String path, String content) throws IOException {
    String p = path(path);
    files().mkdirs(p.substring(0, Math.max(1, p.lastIndexOf('/'))), 0755, uid(), gid());
    try (OutputStream out = files().openWrite(p, false, uid(), gid())) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Blocks until the container is killed (a script that hangs). */
  public void hang() throws InterruptedException {
    new CountDownLatch(1).await();
  }

  /** The {@code PATH} of a process whose environment sets none. */
  static String defaultPath() {
    return DEFAULT_PATH;
  }

  FakeContainer container() {
    return container;
  }

  /**
   * Runs another executable in the same container, on this thread, and returns its exit code;
   * 127 with a message on {@code err} when it is not found.
   */
  int exec(List<String> argv, Map<String, String> childEnv, String cwd, InputStream in, OutputStream out,
      OutputStream err, String notFoundPrefix) throws InterruptedException {
    Optional<FakeContainer.Executable> exe = container.find(argv.get(0), childEnv.getOrDefault("PATH", DEFAULT_PATH), cwd);
    if (exe.isEmpty()) {
      try {
        err.write((notFoundPrefix + argv.get(0) + ": not found\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // stderr gone: the status says it
      }
      return 127;
    }
    List<String> full = new ArrayList<>(exe.get().argvPrefix());
    full.addAll(exe.get().argvPrefix().isEmpty() ? argv : argv.subList(1, argv.size()));
    FakeProcess child = new FakeProcess(container, uid, gid, full, new LinkedHashMap<>(childEnv), cwd, in, out, err);
    return FakeContainer.runProgram(exe.get().program(), child);
  }
}
