package io.s2i.testing.engine;

import io.s2i.engine.ArchiveSource;
import io.s2i.engine.CommitSpec;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.EngineException;
import io.s2i.engine.ExitStatus;
import io.s2i.engine.OutputSink;
import io.s2i.internal.archive.NonClosingOutputStream;
import io.s2i.internal.archive.StreamPipe;
import io.s2i.testing.engine.FakeEngine.Operation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A container of a {@link FakeEngine}: a copy of its image's files (with the spec's bind mounts)
 * in which {@link #run} executes the entrypoint and command as {@link FakeProgram}s, each on a
 * thread of its own. Closing kills what still runs (interrupts its threads) and removes it.
 */
public final class FakeContainer implements ContainerHandle {
  private final FakeEngine engine;
  private final String id;
  private final ContainerSpec spec;
  private final FakeImage image;
  private final FakeFileSystem files;
  private final Map<String, String> env;
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private volatile boolean started;
  private volatile boolean removed;
  private volatile long uid;
  private volatile long gid;
  private volatile Integer exitCode;

  FakeContainer(FakeEngine engine, String id, ContainerSpec spec, FakeImage image) throws EngineException {
    this.engine = engine;
    this.id = id;
    this.spec = spec;
    this.image = image;
    List<FakeFileSystem.Bind> binds = new ArrayList<>();
    for (String bind : spec.binds()) {
      String[] parts = bind.split(":");
      if (parts.length < 2 || !parts[0].startsWith("/") || !parts[1].startsWith("/")) {
        throw new EngineException("invalid volume specification: '" + bind + "'", null);
      }
      binds.add(new FakeFileSystem.Bind(Path.of(parts[0]), FakeFileSystem.normalize("/", parts[1]),
          parts.length > 2 && List.of(parts[2].split(",")).contains("ro")));
    }
    this.files = image.sharedFiles().withBinds(binds);
    Map<String, String> merged = new LinkedHashMap<>();
    for (String e : image.env()) {
      merged.put(e.substring(0, Math.max(0, e.indexOf('='))), e.substring(e.indexOf('=') + 1));
    }
    // As Docker: the host name the spec gives, else the container's id, is also HOSTNAME.
    merged.put("HOSTNAME", spec.hostname().orElse(id.length() > 12 ? id.substring(0, 12) : id));
    for (String e : spec.env()) {
      int eq = e.indexOf('=');
      merged.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    this.env = merged;
  }

  @Override
  public String id() {
    return id;
  }

  /** What the container was created with. */
  public ContainerSpec spec() {
    return spec;
  }

  /** The container's files (changes made by its processes included). */
  public FakeFileSystem files() {
    return files;
  }

  /** The exit code of its main process, once it ended. */
  public Optional<Integer> exitCode() {
    return Optional.ofNullable(exitCode);
  }

  /** Whether it was removed ({@link #close}). */
  public boolean removed() {
    return removed;
  }

  String user() {
    return spec.user().isEmpty() ? image.user() : spec.user();
  }

  long uid() {
    return uid;
  }

  long gid() {
    return gid;
  }

  private String workingDir() {
    return spec.workingDir().orElse(image.workingDir().isEmpty() ? "/" : image.workingDir());
  }

  private List<String> argv() {
    List<String> argv = new ArrayList<>(spec.entrypoint().isEmpty() ? image.entrypoint() : spec.entrypoint());
    argv.addAll(!spec.cmd().isEmpty() || !spec.entrypoint().isEmpty() ? spec.cmd() : image.cmd());
    return argv;
  }

  // ---- files ------------------------------------------------------------------------------

  @Override
  public void copyIn(String directory, ArchiveSource archive) throws EngineException {
    requireExists();
    engine.check(Operation.COPY_IN, directory);
    if (!files.isDirectory(directory)) {
      throw new EngineException("cannot copy files into " + directory + " in container " + shortId()
          + ": Could not find the file " + directory + " in container " + shortId(), null);
    }
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try {
      archive.writeTo(tar);
    } catch (IOException e) {
      throw new EngineException("cannot write the archive for " + directory + ": " + e.getMessage(), e);
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    FakeProcess root = new FakeProcess(this, 0, 0, List.of("copy-in"), env, directory,
        InputStream.nullInputStream(), OutputStream.nullOutputStream(), err);
    try {
      int status = FakeTools.extract(root, new ByteArrayInputStream(tar.toByteArray()), directory);
      if (status != 0) {
        throw new EngineException("cannot copy files into " + directory + " in container " + shortId() + ": "
            + err.toString(StandardCharsets.UTF_8).strip().replace('\n', ' '), null);
      }
    } catch (IOException e) {
      throw new EngineException("cannot copy files into " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean copyOut(String path, OutputStream out) throws EngineException {
    requireExists();
    engine.check(Operation.COPY_OUT, path);
    String p = FakeFileSystem.normalize("/", path);
    if (files.node(p, false).isEmpty()) {
      return false;
    }
    try {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosingOutputStream(out));
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      FakeTools.writeTree(files, p, FakeFileSystem.baseName(p), tar);
      tar.finish();
      tar.flush();
    } catch (IOException e) {
      throw new EngineException("cannot copy " + path + " out of container " + shortId() + ": " + e.getMessage(), e);
    }
    return true;
  }

  // ---- running ----------------------------------------------------------------------------

  @Override
  public ExitStatus run(Optional<ArchiveSource> stdin, OutputSink sink) throws EngineException, InterruptedException {
    LineStream out = new LineStream(sink::stdout);
    LineStream err = new LineStream(sink::stderr);
    try {
      return execute(stdin, out, err);
    } finally {
      out.finish();
      err.finish();
    }
  }

  @Override
  public ExitStatus runCapturingStdout(OutputStream stdout, OutputSink stderr)
      throws EngineException, InterruptedException {
    LineStream err = new LineStream(stderr::stderr);
    try {
      return execute(Optional.empty(), new NonClosingOutputStream(stdout), err);
    } finally {
      err.finish();
    }
  }

  private ExitStatus execute(Optional<ArchiveSource> stdin, OutputStream out, OutputStream err)
      throws EngineException, InterruptedException {
    if (stdin.isPresent() && !spec.openStdin()) {
      throw new EngineException("container " + shortId() + " was created without an open stdin; cannot feed it input", null);
    }
    synchronized (this) {
      requireExists();
      if (started) {
        throw new EngineException("container " + shortId() + " has run already", null);
      }
      started = true;
    }
    List<String> argv = argv();
    engine.check(Operation.START, String.join(" ", argv));
    if (argv.isEmpty()) {
      throw new EngineException("cannot start container " + shortId() + ": no command specified", null);
    }
    resolveUser();
    String cwd = workingDir();
    try {
      files.mkdirs(cwd, 0755, 0, 0);
    } catch (IOException e) {
      throw new EngineException("cannot start container " + shortId() + ": " + e.getMessage(), e);
    }
    Optional<Executable> exe = find(argv.get(0), env.getOrDefault("PATH", FakeProcess.defaultPath()), cwd);
    if (exe.isEmpty()) {
      throw new EngineException("cannot start container " + shortId() + ": exec: \"" + argv.get(0) + "\": stat "
          + argv.get(0) + ": no such file or directory", null);
    }
    List<String> full = new ArrayList<>(exe.get().argvPrefix());
    full.addAll(exe.get().argvPrefix().isEmpty() ? argv : argv.subList(1, argv.size()));

    StreamPipe pipe = new StreamPipe(1 << 16);
    InputStream in = spec.openStdin() ? pipe.source() : InputStream.nullInputStream();
    CompletableFuture<Throwable> fed = new CompletableFuture<>();
    if (spec.openStdin()) {
      spawn("fake-stdin-" + shortId(), () -> {
        Throwable failure = null;
        try (OutputStream sink = pipe.sink()) {
          stdin.orElse(o -> { }).writeTo(sink);
        } catch (StreamPipe.ReaderClosedException e) {
          // the process ended without reading all of it: its exit status tells why
        } catch (Throwable e) {
          failure = e;
        }
        fed.complete(failure);
      });
    } else {
      fed.complete(null);
    }
    SyncStream syncOut = new SyncStream(out);
    SyncStream syncErr = new SyncStream(err);
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    FakeProcess process = new FakeProcess(this, uid, gid, full, env, cwd, in, syncOut, syncErr);
    spawn("fake-main-" + shortId(), () -> {
      int code;
      try {
        code = runProgram(exe.get().program(), process);
      } catch (InterruptedException e) {
        code = 137;
      }
      pipe.closeReadingEnd();
      exitCode = code;
      // As when PID 1 of a container ends: every other process of it ends too.
      for (Thread t : threads) {
        if (t != Thread.currentThread() && !t.getName().startsWith("fake-stdin")) {
          t.interrupt();
        }
      }
      exit.complete(code);
    });
    int code;
    try {
      code = exit.get();
    } catch (ExecutionException e) {
      throw new EngineException("container " + shortId() + " failed: " + e.getCause(), e.getCause());
    }
    Throwable feedFailure;
    try {
      feedFailure = fed.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      feedFailure = e;
    }
    if (feedFailure != null) {
      throw new EngineException("cannot write the input archive for container " + shortId() + " (it exited with "
          + code + "): " + feedFailure.getMessage(), feedFailure);
    }
    return new ExitStatus(code, false);
  }

  /** Runs {@code task} on a thread that {@link #close} interrupts. */
  void spawn(String name, Runnable task) {
    Thread t = new Thread(() -> {
      try {
        task.run();
      } finally {
        threads.remove(Thread.currentThread());
      }
    }, name);
    t.setDaemon(true);
    threads.add(t);
    if (removed) {
      threads.remove(t);
      return;
    }
    t.start();
  }

  private void resolveUser() throws EngineException {
    String user = user();
    if (user.isEmpty()) {
      uid = 0;
      gid = 0;
      return;
    }
    String name = user;
    String group = null;
    int colon = user.indexOf(':');
    if (colon >= 0) {
      name = user.substring(0, colon);
      group = user.substring(colon + 1);
    }
    Long numeric = number(name);
    Long groupId = group == null ? null : number(group);
    String passwd = files.readString("/etc/passwd").orElse("");
    for (String line : passwd.split("\n")) {
      String[] f = line.split(":");
      if (f.length >= 4 && (f[0].equals(name) || f[2].equals(name))) {
        uid = Long.parseLong(f[2]);
        gid = groupId != null ? groupId : Long.parseLong(f[3]);
        return;
      }
    }
    if (numeric == null) {
      throw new EngineException("cannot start container " + shortId() + ": unable to find user " + name
          + ": no matching entries in passwd file", null);
    }
    uid = numeric;
    gid = groupId == null ? 0 : groupId;
  }

  private static Long number(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ---- executables ------------------------------------------------------------------------

  /** What to run for a path: a program, and the arguments that come before the caller's. */
  record Executable(FakeProgram program, List<String> argvPrefix) {}

  /**
   * The executable for {@code name} (a path, or a name looked up in {@code searchPath}): a fake
   * binary, or a script whose {@code #!} interpreter is one (a script without one runs under
   * {@code /bin/sh}, as {@code dash} runs it). Empty when there is none, or its interpreter is
   * missing.
   */
  Optional<Executable> find(String name, String searchPath, String cwd) {
    List<String> candidates = new ArrayList<>();
    if (name.contains("/")) {
      candidates.add(FakeFileSystem.normalize(cwd, name));
    } else {
      for (String dir : searchPath.split(":")) {
        if (!dir.isEmpty()) {
          candidates.add(FakeFileSystem.normalize("/", dir + "/" + name));
        }
      }
    }
    for (String path : candidates) {
      Optional<FakeFileSystem.Node> node = files.node(path);
      if (node.isEmpty() || node.get().type() != FakeFileSystem.Type.FILE) {
        continue;
      }
      FakeFileSystem.Node n = node.get();
      if (n.program() != null) {
        return Optional.of(new Executable(n.program(), List.of()));
      }
      String text = n.text();
      List<String> interpreter = new ArrayList<>();
      if (text.startsWith("#!")) {
        String first = text.substring(2, text.indexOf('\n') < 0 ? text.length() : text.indexOf('\n')).strip();
        interpreter.addAll(List.of(first.split("\\s+", 2)));
      } else {
        interpreter.add("/bin/sh");
      }
      Optional<FakeFileSystem.Node> interp = files.node(interpreter.get(0));
      if (interp.isEmpty() || interp.get().program() == null) {
        return Optional.empty();
      }
      List<String> prefix = new ArrayList<>(interpreter);
      prefix.add(path);
      return Optional.of(new Executable(interp.get().program(), prefix));
    }
    return Optional.empty();
  }

  /** Runs a program; a failure other than an interrupt ends it with status 1 and its message on stderr. */
  static int runProgram(FakeProgram program, FakeProcess process) throws InterruptedException {
    try {
      return program.run(process);
    } catch (InterruptedException | InterruptedIOException e) {
      throw new InterruptedException("killed");
    } catch (Exception e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("killed");
      }
      try {
        process.err(FakeFileSystem.baseName(process.args().get(0)) + ": " + e.getMessage());
      } catch (IOException ignored) {
        // stderr gone
      }
      return 1;
    }
  }

  // ---- commit and removal -----------------------------------------------------------------

  @Override
  public String commit(CommitSpec commit) throws EngineException {
    requireExists();
    engine.check(Operation.COMMIT, spec.image());
    List<String> newEnv = new ArrayList<>(commit.env());
    List<String> names = commit.env().stream().map(e -> e.substring(0, Math.max(0, e.indexOf('=')))).toList();
    env.forEach((k, v) -> {
      if (!names.contains(k)) {
        newEnv.add(k + "=" + v);
      }
    });
    Map<String, String> labels = new LinkedHashMap<>(image.labels());
    labels.putAll(commit.labels());
    return engine.commit(new FakeImage(null, labels, newEnv, commit.user(), workingDir(),
        commit.entrypoint(), commit.cmd(), image.onBuild(), files.snapshot(), image.layers()), commit.repository());
  }

  @Override
  public void close() {
    synchronized (this) {
      if (removed) {
        return;
      }
      removed = true;
    }
    for (Thread t : threads) {
      t.interrupt();
    }
    engine.removed(this);
  }

  private void requireExists() throws EngineException {
    if (removed) {
      throw new EngineException("No such container: " + shortId(), null);
    }
  }

  private String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  // ---- streams ----------------------------------------------------------------------------

  /** Splits bytes into UTF-8 lines for an {@link OutputSink}; a last partial line is kept. */
  private static final class LineStream extends OutputStream {
    private final java.util.function.Consumer<String> lines;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    LineStream(java.util.function.Consumer<String> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.accept(current.toString(StandardCharsets.UTF_8));
        current.reset();
      } else {
        current.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    synchronized void finish() {
      if (current.size() > 0) {
        lines.accept(current.toString(StandardCharsets.UTF_8));
        current.reset();
      }
    }
  }

  /** Serialises writes of the container's processes (a job in the background writes too). */
  private static final class SyncStream extends OutputStream {
    private final OutputStream out;

    SyncStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public synchronized void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() {
      // the container's stream: closed by the engine, not by a process
    }
  }


}
