package io.s2i.testing.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.engine.ArchiveSource;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.EngineException;
import io.s2i.engine.ExitStatus;
import io.s2i.engine.OutputSink;
import io.s2i.testing.engine.FakeFileSystem.Node;
import io.s2i.testing.engine.FakeFileSystem.Type;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code docker build} of a context for a {@link FakeEngine}, as s2i's ONBUILD strategy uses it:
 * {@code FROM} a local image, whose ONBUILD triggers run first, then {@code ENV}, {@code LABEL},
 * {@code RUN} (in a container of the image so far), {@code COPY}/{@code ADD} from the context,
 * {@code WORKDIR}, {@code USER}, {@code ENTRYPOINT}, {@code CMD} and {@code ONBUILD}; other
 * instructions are ignored. Each step is reported on the output as Docker's classic builder does.
 */
final class FakeDockerfileBuild {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final FakeEngine engine;
  private final OutputSink output;
  private FakeFileSystem files;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private String user = "";
  private String workingDir = "";
  private List<String> entrypoint = List.of();
  private List<String> cmd = List.of();
  private final List<String> onBuild = new ArrayList<>();
  private final List<String> layers = new ArrayList<>();

  FakeDockerfileBuild(FakeEngine engine, OutputSink output) {
    this.engine = engine;
    this.output = output;
  }

  FakeImage build(ArchiveSource context) throws EngineException {
    FakeFileSystem ctx = unpack(context);
    String dockerfile = ctx.readString("/Dockerfile")
        .orElseThrow(() -> new EngineException("cannot build: the context has no Dockerfile", null));
    List<String> instructions = instructions(dockerfile);
    if (instructions.isEmpty() || !keyword(instructions.get(0)).equals("FROM")) {
      throw new EngineException("cannot build: the Dockerfile must start with FROM", null);
    }
    int step = 0;
    for (String line : instructions) {
      output.stdout("Step " + (++step) + "/" + instructions.size() + " : " + line);
      apply(line, ctx);
    }
    return new FakeImage(engine.newId(), labels, env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
        user, workingDir, entrypoint, cmd, onBuild, files.snapshot(), withNewLayer());
  }

  private List<String> withNewLayer() {
    List<String> all = new ArrayList<>(layers);
    all.add(engine.newId());
    return all;
  }

  private void apply(String line, FakeFileSystem ctx) throws EngineException {
    String keyword = keyword(line);
    String rest = line.substring(Math.min(line.length(), keyword.length())).strip();
    switch (keyword) {
      case "FROM" -> from(rest, ctx);
      case "ENV" -> env.putAll(pairs(rest));
      case "LABEL" -> labels.putAll(pairs(rest));
      case "RUN" -> run(command(rest));
      case "COPY", "ADD" -> copy(rest, ctx);
      case "WORKDIR" -> {
        workingDir = FakeFileSystem.normalize(workingDir.isEmpty() ? "/" : workingDir, rest);
        mkdirs(workingDir);
      }
      case "USER" -> user = rest;
      case "ENTRYPOINT" -> entrypoint = command(rest);
      case "CMD" -> cmd = command(rest);
      case "ONBUILD" -> onBuild.add(rest);
      default -> output.stdout(" ---> (" + keyword + " is not modelled by the fake engine)");
    }
  }

  private void from(String ref, FakeFileSystem ctx) throws EngineException {
    FakeImage base = engine.image(ref).orElseThrow(() -> new EngineException(
        "cannot build: pull access denied for " + ref + ": the fake engine has no such image", null));
    files = base.files();
    labels.putAll(base.labels());
    for (String e : base.env()) {
      env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
    }
    user = base.user();
    workingDir = base.workingDir();
    entrypoint = base.entrypoint();
    cmd = base.cmd();
    layers.addAll(base.layers());
    if (!base.onBuild().isEmpty()) {
      int n = base.onBuild().size();
      output.stdout("# Executing " + n + " build trigger" + (n == 1 ? "" : "s"));
    }
    for (String trigger : base.onBuild()) {
      apply(trigger, ctx);
    }
  }

  private void run(List<String> argv) throws EngineException {
    FakeImage state = new FakeImage(engine.newId(), labels,
        env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(), user, workingDir,
        List.of(), List.of(), List.of(), files, layers);
    ContainerSpec spec = new ContainerSpec(state.id(), "fake-build", "", List.of(), argv, List.of(),
        Optional.empty(), false, Optional.empty(), List.of(), List.of(), List.of());
    FakeContainer container = new FakeContainer(engine, engine.newId().substring(7), spec, state);
    try {
      ExitStatus status = container.run(Optional.empty(), output);
      if (!status.succeeded()) {
        throw new EngineException("The command '" + String.join(" ", argv) + "' returned a non-zero code: "
            + status.code(), null);
      }
      files = container.files().snapshot();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("the build was interrupted", e);
    } finally {
      container.close();
    }
  }

  private void copy(String rest, FakeFileSystem ctx) throws EngineException {
    long uid = 0;
    long gid = 0;
    List<String> args = new ArrayList<>(List.of(rest.split("\\s+")));
    while (!args.isEmpty() && args.get(0).startsWith("--")) {
      String flag = args.remove(0);
      if (flag.startsWith("--chown=")) {
        String[] owner = flag.substring("--chown=".length()).split(":");
        uid = Long.parseLong(owner[0]);
        gid = owner.length > 1 ? Long.parseLong(owner[1]) : uid;
      }
    }
    String dest = FakeFileSystem.normalize(workingDir.isEmpty() ? "/" : workingDir, args.get(args.size() - 1));
    try {
      for (String src : args.subList(0, args.size() - 1)) {
        String from = FakeFileSystem.normalize("/", src);
        Node n = ctx.node(from, false).orElseThrow(() -> new EngineException(
            "COPY failed: file not found in build context: " + src, null));
        if (n.type() == Type.DIRECTORY) {
          copyTree(ctx, from, dest, uid, gid);
        } else {
          String to = args.get(args.size() - 1).endsWith("/") || args.size() > 2
              ? FakeFileSystem.normalize(dest, FakeFileSystem.baseName(from)) : dest;
          files.mkdirs(to.substring(0, Math.max(1, to.lastIndexOf('/'))), 0755, 0, 0);
          files.put(to, own(n, uid, gid));
        }
      }
    } catch (IOException e) {
      throw new EngineException("COPY failed: " + e.getMessage(), e);
    }
  }

  private void copyTree(FakeFileSystem ctx, String from, String to, long uid, long gid) throws IOException {
    files.mkdirs(to, 0755, 0, 0);
    String prefix = from.equals("/") ? "/" : from + "/";
    for (Map.Entry<String, Node> e : ctx.nodes().entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        String target = FakeFileSystem.normalize(to, e.getKey().substring(prefix.length()));
        if (e.getValue().type() == Type.DIRECTORY) {
          if (!files.isDirectory(target)) {
            files.put(target, own(e.getValue(), uid, gid));
          }
        } else {
          files.put(target, own(e.getValue(), uid, gid));
        }
      }
    }
  }

  private static Node own(Node n, long uid, long gid) {
    return new Node(n.type(), n.content(), n.mode(), uid, gid, n.linkTarget(), n.program());
  }

  private void mkdirs(String dir) throws EngineException {
    try {
      files.mkdirs(dir, 0755, 0, 0);
    } catch (IOException e) {
      throw new EngineException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  private static FakeFileSystem unpack(ArchiveSource context) throws EngineException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FakeFileSystem ctx = FakeFileSystem.empty();
    try {
      context.writeTo(bytes);
      TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(bytes.toByteArray()));
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String path = FakeFileSystem.normalize("/", e.getName());
        if (path.equals("/")) {
          continue;
        }
        ctx.mkdirs(path.substring(0, Math.max(1, path.lastIndexOf('/'))), 0755, 0, 0);
        int mode = e.getMode() & 07777;
        if (e.isDirectory()) {
          ctx.mkdirs(path, mode, 0, 0);
        } else if (e.isSymbolicLink()) {
          ctx.put(path, Node.symlink(e.getLinkName(), 0, 0));
        } else if (e.isFile()) {
          ctx.put(path, Node.file(tar.readAllBytes(), mode, 0, 0));
        }
      }
    } catch (IOException e) {
      throw new EngineException("cannot read the build context: " + e.getMessage(), e);
    }
    return ctx;
  }

  /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
  static List<String> instructions(String dockerfile) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : dockerfile.split("\n")) {
      String line = raw.strip();
      if (current.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      out.add(current.toString().strip());
      current.setLength(0);
    }
    if (current.length() > 0) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static String keyword(String line) {
    int space = line.indexOf(' ');
    return (space < 0 ? line : line.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
  }

  /** The JSON (exec) form as it is; the shell form under {@code /bin/sh -c}. */
  private static List<String> command(String rest) throws EngineException {
    if (rest.startsWith("[")) {
      try {
        return List.of(JSON.readValue(rest, String[].class));
      } catch (IOException e) {
        throw new EngineException("cannot parse " + rest + ": " + e.getMessage(), e);
      }
    }
    return List.of("/bin/sh", "-c", rest);
  }

  /** {@code KEY=VALUE} pairs (values optionally double-quoted, with escapes) or {@code KEY VALUE}. */
  static Map<String, String> pairs(String rest) {
    Map<String, String> out = new LinkedHashMap<>();
    int eq = rest.indexOf('=');
    int space = rest.indexOf(' ');
    if (eq < 0 || (space >= 0 && space < eq)) {
      out.put(rest.substring(0, space < 0 ? rest.length() : space), space < 0 ? "" : rest.substring(space + 1).strip());
      return out;
    }
    int i = 0;
    while (i < rest.length()) {
      while (i < rest.length() && rest.charAt(i) == ' ') {
        i++;
      }
      int e = rest.indexOf('=', i);
      if (e < 0) {
        break;
      }
      String key = rest.substring(i, e);
      i = e + 1;
      StringBuilder value = new StringBuilder();
      boolean quoted = i < rest.length() && rest.charAt(i) == '"';
      if (quoted) {
        i++;
      }
      while (i < rest.length()) {
        char c = rest.charAt(i);
        if (quoted && c == '"') {
          i++;
          break;
        }
        if (!quoted && c == ' ') {
          break;
        }
        if (c == '\\' && i + 1 < rest.length()) {
          char n = rest.charAt(++i);
          value.append(n == 'n' ? '\n' : n);
        } else {
          value.append(c);
        }
        i++;
      }
      out.put(key, value.toString());
    }
    return out;
  }
}
