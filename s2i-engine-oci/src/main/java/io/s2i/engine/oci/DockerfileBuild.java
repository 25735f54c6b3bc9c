package io.s2i.engine.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.internal.fs.FileTrees;
import io.s2i.api.FailureReason;
import io.s2i.engine.ArchiveSource;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.EngineException;
import io.s2i.engine.ExitStatus;
import io.s2i.engine.ImageNotFoundException;
import io.s2i.engine.OutputSink;
import io.s2i.internal.archive.StreamPipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a single-stage Dockerfile without a daemon, as the ONBUILD strategy needs: {@code FROM}
 * an image in the cache, that image's ONBUILD triggers first, then the Dockerfile's own
 * instructions. Filesystem steps (COPY, ADD, the directory of a new WORKDIR) are applied to the
 * container of the next RUN, which then runs; each RUN gives one layer, and steps after the last
 * RUN one more. The others change the image config: ENV, ARG, LABEL, USER, WORKDIR, EXPOSE,
 * VOLUME, ENTRYPOINT, CMD, SHELL, STOPSIGNAL, HEALTHCHECK, MAINTAINER and ONBUILD. Anything else
 * (another FROM, {@code COPY --from}, an unknown instruction) fails naming it.
 *
 * <p>Arguments are expanded as Docker's builder does ({@link DockerfileWords}); RUN, CMD and
 * ENTRYPOINT in shell form run under the image's {@code SHELL} (default {@code /bin/sh -c}).
 */
final class DockerfileBuild {
  private static final Logger LOG = LoggerFactory.getLogger(DockerfileBuild.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NOT_IN_TRIGGERS = Set.of("ONBUILD", "FROM", "MAINTAINER");
  private final LayerCache cache;
  private final OciImageStore images;
  private final OciContainerRunner containers;

  DockerfileBuild(LayerCache cache, OciImageStore images, OciContainerRunner containers) {
    this.cache = cache;
    this.images = images;
    this.containers = containers;
  }

  /** Builds the Dockerfile at the root of {@code context}; returns the new image's id. */
  String build(ArchiveSource context, Optional<String> tag, Optional<String> network, OutputSink output)
      throws EngineException {
    Path work;
    try {
      work = cache.tempDir("dockerfile-");
    } catch (IOException e) {
      throw OciImageStore.failure("cannot build the image: no room for its context in the cache", e);
    }
    try {
      Path ctx = Files.createDirectory(work.resolve("context"));
      unpack(context, ctx);
      Path dockerfile = ctx.resolve("Dockerfile");
      if (!Files.isRegularFile(dockerfile)) {
        throw new EngineException("image build failed: the build context has no Dockerfile", null);
      }
      List<DockerfileInstruction> lines = DockerfileInstruction.parseDockerfile(
          Files.readString(dockerfile, StandardCharsets.UTF_8));
      if (lines.isEmpty() || !lines.get(0).keyword().equals("FROM")) {
        throw new EngineException("image build failed: the Dockerfile must start with FROM", null);
      }
      List<String> from = lines.get(0).fields();
      if (from.size() != 1) {
        throw unsupported(lines.get(0), "named stages (FROM ... AS) need a multi-stage build");
      }
      String baseId = images.resolve(from.get(0)).orElseThrow(() -> new ImageNotFoundException(
          "unable to find image " + from.get(0) + " locally", "pull the builder image first", null));
      Build b = new Build(ctx, work, ImageConfigs.parse(cache.config(baseId)), network, output);
      List<DockerfileInstruction> triggers = new ArrayList<>();
      for (JsonNode t : b.config.path("OnBuild")) {
        DockerfileInstruction trigger = DockerfileInstruction.parse(t.asText());
        if (NOT_IN_TRIGGERS.contains(trigger.keyword())) {
          throw unsupported(trigger, trigger.keyword() + " is not allowed as an ONBUILD trigger");
        }
        triggers.add(trigger);
      }
      b.config.putNull("OnBuild"); // triggers run once, in the child; its own ONBUILD lines come below
      int total = lines.size();
      output.stdout("Step 1/" + total + " : " + lines.get(0).text());
      if (!triggers.isEmpty()) {
        output.stdout("# Executing " + triggers.size() + " build trigger" + (triggers.size() == 1 ? "" : "s"));
      }
      for (DockerfileInstruction trigger : triggers) {
        output.stdout(" ---> ONBUILD " + trigger.text());
        b.step(trigger);
      }
      for (int i = 1; i < lines.size(); i++) {
        if (lines.get(i).keyword().equals("FROM")) {
          throw unsupported(lines.get(i), "a second FROM needs a multi-stage build");
        }
        output.stdout("Step " + (i + 1) + "/" + total + " : " + lines.get(i).text());
        b.step(lines.get(i));
      }
      b.flush();
      String id = b.finish();
      output.stdout("Successfully built " + id.substring(7, 19));
      if (tag.isPresent()) {
        cache.name(tag.get(), id);
        output.stdout("Successfully tagged " + tag.get());
      }
      Optional<ContainerEngine> daemon = images.daemon();
      if (daemon.isPresent()) {
        images.loadIntoDaemon(daemon.get(), id, tag, Optional.of(baseId));
      }
      return id;
    } catch (DockerfileInstruction.SyntaxException | ContextCopy.CopyException e) {
      throw new EngineException("image build failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw OciImageStore.failure("image build failed", e);
    } finally {
      FileTrees.deleteQuietly(work);
    }
  }

  static EngineException unsupported(DockerfileInstruction i, String why) {
    return new EngineException(FailureReason.GENERIC, "the oci engine cannot run the instruction \"" + i.text()
        + "\": " + why, "use --engine docker for this builder", null);
  }

  /** Unpacks the context tar into {@code dir}, refusing entries that would land outside it. */
  private static void unpack(ArchiveSource context, Path dir) throws IOException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    StreamPipe pipe = new StreamPipe(1 << 16);
    try (InputStream in = pipe.source()) {
      OutputStream out = pipe.sink();
      Thread writer = new Thread(() -> {
        try (out) {
          context.writeTo(out);
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "s2i-build-context");
      writer.setDaemon(true);
      writer.start();
      try {
        new LayerUnpacker(dir, LayerUnpacker.Mode.PLAIN, false).unpack(in);
        in.transferTo(OutputStream.nullOutputStream());
      } finally {
        in.close();
        try {
          writer.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while reading the build context");
        }
      }
    }
    if (failure.get() != null) {
      throw new IOException("cannot write the build context: " + failure.get().getMessage(), failure.get());
    }
  }

  /** A change to the file system waiting for the next container. */
  @FunctionalInterface
  private interface Change {
    void apply(OciContainerHandle container, Path scratch) throws IOException, EngineException;
  }

  /** The state of one build: the image config so far and the changes not yet in a layer. */
  private final class Build {
    final Path context;
    final Path scratch;
    final ObjectNode root;
    final ObjectNode config;
    final Optional<String> network;
    final OutputSink output;
    final Map<String, String> args = new LinkedHashMap<>();
    final List<Change> pending = new ArrayList<>();
    final List<String> pendingText = new ArrayList<>();
    final String created = Instant.now().toString();
    boolean cmdSet;

    Build(Path context, Path scratch, ObjectNode root, Optional<String> network, OutputSink output) {
      this.context = context;
      this.scratch = scratch;
      this.root = root;
      this.config = root.with("config");
      this.network = network;
      this.output = output;
      root.remove("container");
      root.remove("container_config");
    }

    /** The value of a variable as Docker's expansion sees it: the env, then the build args. */
    String lookup(String name) {
      String env = envValue(name);
      return env != null ? env : args.get(name);
    }

    private String envValue(String name) {
      for (JsonNode e : config.path("Env")) {
        String s = e.asText();
        if (s.startsWith(name + "=")) {
          return s.substring(name.length() + 1);
        }
      }
      return null;
    }

    String word(String w) throws DockerfileWords.WordException {
      return DockerfileWords.word(w, this::lookup);
    }

    void step(DockerfileInstruction i) throws IOException, EngineException {
      switch (i.keyword()) {
        case "RUN" -> run(i);
        case "COPY", "ADD" -> copy(i);
        case "ENV" -> env(i);
        case "ARG" -> arg(i);
        case "LABEL" -> label(i);
        case "USER" -> {
          config.put("User", word(required(i)));
          history(i);
        }
        case "WORKDIR" -> workdir(i);
        case "EXPOSE" -> expose(i);
        case "VOLUME" -> volume(i);
        case "ENTRYPOINT" -> {
          config.set("Entrypoint", array(command(i, true)));
          if (!cmdSet) {
            config.putNull("Cmd"); // as Docker: an inherited CMD does not outlive a new ENTRYPOINT
          }
          history(i);
        }
        case "CMD" -> {
          config.set("Cmd", array(command(i, true)));
          cmdSet = true;
          history(i);
        }
        case "SHELL" -> {
          List<String> shell = i.jsonArgs().filter(l -> !l.isEmpty()).orElseThrow(() ->
              new DockerfileInstruction.SyntaxException("SHELL requires the arguments as a JSON array: " + i.text()));
          config.set("Shell", array(shell));
          history(i);
        }
        case "STOPSIGNAL" -> {
          config.put("StopSignal", word(required(i)));
          history(i);
        }
        case "HEALTHCHECK" -> {
          config.set("Healthcheck", healthcheck(i));
          history(i);
        }
        case "MAINTAINER" -> {
          root.put("author", required(i));
          history(i);
        }
        case "ONBUILD" -> {
          DockerfileInstruction trigger = DockerfileInstruction.parse(required(i));
          if (NOT_IN_TRIGGERS.contains(trigger.keyword())) {
            throw unsupported(i, trigger.keyword() + " is not allowed as an ONBUILD trigger");
          }
          if (!config.path("OnBuild").isArray()) {
            config.putArray("OnBuild");
          }
          ((ArrayNode) config.get("OnBuild")).add(trigger.text());
          history(i);
        }
        default -> throw unsupported(i, "unknown instruction " + i.keyword());
      }
    }

    /**
     * {@code HEALTHCHECK NONE}, or {@code HEALTHCHECK [--interval=D] [--timeout=D]
     * [--start-period=D] [--start-interval=D] [--retries=N] CMD command} as the config's
     * {@code Healthcheck} (durations in nanoseconds, as Docker writes them).
     */
    private ObjectNode healthcheck(DockerfileInstruction i) throws IOException {
      ObjectNode hc = JSON.createObjectNode();
      String rest = required(i);
      String[] split = rest.split("\\s+", 2);
      String kind = split[0].toUpperCase(java.util.Locale.ROOT);
      if (kind.equals("NONE")) {
        if (split.length > 1 || !i.flags().isEmpty()) {
          throw new DockerfileInstruction.SyntaxException("HEALTHCHECK NONE takes no other arguments");
        }
        hc.set("Test", array(List.of("NONE")));
        return hc;
      }
      if (!kind.equals("CMD") || split.length < 2) {
        throw new DockerfileInstruction.SyntaxException("HEALTHCHECK needs NONE or CMD and a command: " + i.text());
      }
      DockerfileInstruction cmd = DockerfileInstruction.parse("CMD " + split[1]);
      List<String> test = new ArrayList<>();
      Optional<List<String>> json = cmd.jsonArgs();
      if (json.isPresent()) {
        test.add("CMD");
        test.addAll(json.get());
      } else {
        test.add("CMD-SHELL");
        test.add(cmd.rest());
      }
      hc.set("Test", array(test));
      for (Map.Entry<String, String> f : i.flags().entrySet()) {
        switch (f.getKey()) {
          case "interval" -> hc.put("Interval", GoDurations.nanos(f.getValue()));
          case "timeout" -> hc.put("Timeout", GoDurations.nanos(f.getValue()));
          case "start-period" -> hc.put("StartPeriod", GoDurations.nanos(f.getValue()));
          case "start-interval" -> hc.put("StartInterval", GoDurations.nanos(f.getValue()));
          case "retries" -> {
            if (!f.getValue().matches("\\d+")) {
              throw new DockerfileInstruction.SyntaxException("HEALTHCHECK --retries must be a number: " + f.getValue());
            }
            hc.put("Retries", Integer.parseInt(f.getValue()));
          }
          default -> throw new DockerfileInstruction.SyntaxException("HEALTHCHECK: unknown flag --" + f.getKey());
        }
      }
      return hc;
    }

    private String required(DockerfileInstruction i) throws DockerfileInstruction.SyntaxException {
      if (i.rest().isEmpty()) {
        throw new DockerfileInstruction.SyntaxException(i.keyword() + " requires an argument");
      }
      return i.rest();
    }

    /** The argv of RUN, CMD or ENTRYPOINT: the JSON form as it is, else the shell and the text. */
    List<String> command(DockerfileInstruction i, boolean emptyAllowed) throws DockerfileInstruction.SyntaxException {
      Optional<List<String>> json = i.jsonArgs();
      if (json.isPresent()) {
        return json.get();
      }
      if (i.rest().isEmpty()) {
        if (emptyAllowed) {
          return List.of();
        }
        throw new DockerfileInstruction.SyntaxException(i.keyword() + " requires a command");
      }
      List<String> argv = new ArrayList<>(shell());
      argv.add(i.rest());
      return argv;
    }

    private List<String> shell() {
      List<String> shell = ImageConfigs.strings(config.path("Shell"));
      return shell.isEmpty() ? List.of("/bin/sh", "-c") : shell;
    }

    private void run(DockerfileInstruction i) throws IOException, EngineException {
      if (!i.flags().isEmpty()) {
        throw unsupported(i, "RUN --" + i.flags().keySet().iterator().next() + " needs BuildKit");
      }
      List<String> argv = command(i, false);
      List<String> env = new ArrayList<>();
      args.forEach((k, v) -> {
        if (v != null && envValue(k) == null) {
          env.add(k + "=" + v); // build args reach RUN's environment unless ENV sets the name
        }
      });
      pendingText.add(i.text());
      ContainerSpec spec = new ContainerSpec(current(), "s2i-build", "", env, argv, List.of(), Optional.empty(),
          false, network, List.of(), List.of(), List.of());
      try (OciContainerHandle c = (OciContainerHandle) containers.create(spec)) {
        applyPending(c);
        ExitStatus status;
        try {
          status = c.run(Optional.empty(), output);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EngineException(FailureReason.INTERRUPTED, "interrupted while building the image", null, e);
        }
        if (!status.succeeded()) {
          String shown = i.jsonArgs().isPresent() ? String.join(" ", argv) : String.join(" ", shell()) + " " + i.rest();
          throw new EngineException("image build failed: The command '" + shown + "' returned a non-zero code: "
              + status.code(), null);
        }
        layer(c.commitLayer());
      }
    }

    private void copy(DockerfileInstruction i) throws IOException, EngineException {
      for (String flag : i.flags().keySet()) {
        if (flag.equals("from")) {
          throw unsupported(i, i.keyword() + " --from copies from another stage or image; the oci engine runs"
              + " single-stage builds only");
        }
        if (!flag.equals("chown") && !flag.equals("chmod") && !flag.equals("link")) {
          throw new DockerfileInstruction.SyntaxException(i.keyword() + ": unknown flag --" + flag);
        }
      }
      List<String> words = new ArrayList<>();
      for (String w : i.jsonArgs().orElse(i.fields())) {
        words.add(word(w));
      }
      if (words.size() < 2) {
        throw new DockerfileInstruction.SyntaxException(i.keyword() + " requires at least two arguments, but got "
            + words.size() + ": " + i.text());
      }
      String dest = words.get(words.size() - 1);
      if (dest.equals(".") || dest.endsWith("/.")) {
        dest = dest.substring(0, dest.length() - 1); // "." names the directory itself
      }
      if (!dest.startsWith("/")) {
        String wd = config.path("WorkingDir").asText("");
        dest = (wd.isEmpty() ? "/" : wd.endsWith("/") ? wd : wd + "/") + dest;
      }
      Optional<String> chown = Optional.ofNullable(i.flags().get("chown")).filter(s -> !s.isEmpty());
      Optional<String> chownExpanded = chown.isPresent() ? Optional.of(word(chown.get())) : Optional.empty();
      Optional<Integer> chmod = Optional.empty();
      String mode = i.flags().get("chmod");
      if (mode != null) {
        if (!mode.matches("[0-7]{3,4}")) {
          throw new DockerfileInstruction.SyntaxException(i.keyword() + " --chmod=" + mode + ": give an octal mode");
        }
        chmod = Optional.of(Integer.parseInt(mode, 8));
      }
      ContextCopy copy = new ContextCopy(i.keyword(), context, words.subList(0, words.size() - 1), dest,
          chownExpanded, chmod);
      pending.add(copy::apply);
      pendingText.add(i.text());
    }

    private void env(DockerfileInstruction i) throws IOException {
      List<String[]> set = new ArrayList<>();
      for (Map.Entry<String, String> kv : i.nameValues()) {
        // Every value is expanded with the environment from before this ENV, as Docker does.
        set.add(new String[] {word(kv.getKey()), word(kv.getValue())});
      }
      List<String> env = ImageConfigs.strings(config.path("Env"));
      List<String> entries = new ArrayList<>();
      set.forEach(kv -> entries.add(kv[0] + "=" + kv[1]));
      config.set("Env", array(ImageConfigs.replaceOrAppend(env, entries)));
      history(i);
    }

    private void arg(DockerfileInstruction i) throws IOException {
      for (String a : DockerfileWords.splitKeepingQuotes(required(i))) {
        int eq = a.indexOf('=');
        String name = eq < 0 ? a : a.substring(0, eq);
        args.put(name, eq < 0 ? null : word(a.substring(eq + 1)));
      }
      history(i);
    }

    private void label(DockerfileInstruction i) throws IOException {
      ObjectNode labels = config.path("Labels").isObject() ? (ObjectNode) config.get("Labels") : config.putObject("Labels");
      for (Map.Entry<String, String> kv : i.nameValues()) {
        labels.put(word(kv.getKey()), word(kv.getValue()));
      }
      history(i);
    }

    private void workdir(DockerfileInstruction i) throws IOException {
      String dir = word(required(i));
      if (!dir.startsWith("/")) {
        String wd = config.path("WorkingDir").asText("");
        dir = (wd.isEmpty() ? "/" : wd.endsWith("/") ? wd : wd + "/") + dir;
      }
      String path = Path.of(dir).normalize().toString();
      config.put("WorkingDir", path);
      // As Docker's builder: the directory exists in the image even if nothing uses it.
      pending.add((c, scratch) -> {
        Path p = RootfsPaths.resolve(c.rootfs(), path);
        if (!RootfsPaths.exists(p)) {
          Files.createDirectories(p);
        }
      });
      history(i);
    }

    private void expose(DockerfileInstruction i) throws IOException {
      ObjectNode ports = config.path("ExposedPorts").isObject() ? (ObjectNode) config.get("ExposedPorts")
          : config.putObject("ExposedPorts");
      for (String f : i.fields()) {
        String p = word(f);
        String proto = "tcp";
        int slash = p.indexOf('/');
        if (slash >= 0) {
          proto = p.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
          p = p.substring(0, slash);
        }
        if (!proto.matches("tcp|udp|sctp") || !p.matches("\\d+(-\\d+)?")) {
          throw new DockerfileInstruction.SyntaxException("invalid port in EXPOSE: " + f);
        }
        String[] range = p.split("-");
        int from = Integer.parseInt(range[0]);
        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
        if (from < 1 || to > 65535 || to < from) {
          throw new DockerfileInstruction.SyntaxException("invalid port in EXPOSE: " + f);
        }
        for (int port = from; port <= to; port++) {
          ports.putObject(port + "/" + proto);
        }
      }
      history(i);
    }

    private void volume(DockerfileInstruction i) throws IOException {
      ObjectNode volumes = config.path("Volumes").isObject() ? (ObjectNode) config.get("Volumes")
          : config.putObject("Volumes");
      for (String v : i.jsonArgs().orElse(i.fields())) {
        String path = word(v);
        if (path.isBlank()) {
          throw new DockerfileInstruction.SyntaxException("VOLUME specified can not be an empty string");
        }
        volumes.putObject(path);
      }
      history(i);
    }

    /** Writes the config as it stands (an image of the cache) for the next container. */
    private String current() throws IOException {
      return cache.writeBlob(JSON.writeValueAsBytes(root));
    }

    private void applyPending(OciContainerHandle c) throws IOException, EngineException {
      for (Change change : pending) {
        change.apply(c, scratch);
      }
      pending.clear();
    }

    /** Applies the changes still pending in a container of their own, as one more layer. */
    void flush() throws IOException, EngineException {
      if (pending.isEmpty()) {
        return;
      }
      // Never started: only its root is written to. Root, so that no USER of the image is looked up.
      ContainerSpec spec = new ContainerSpec(current(), "s2i-build", "0", List.of(), List.of("/bin/true"), List.of(),
          Optional.empty(), false, Optional.empty(), List.of(), List.of(), List.of());
      try (OciContainerHandle c = (OciContainerHandle) containers.create(spec)) {
        applyPending(c);
        layer(c.commitLayer());
      }
    }

    private void layer(String diffId) {
      root.with("rootfs").put("type", "layers");
      root.with("rootfs").withArray("diff_ids").add(diffId);
      ObjectNode h = root.withArray("history").addObject();
      h.put("created", created);
      h.put("created_by", String.join(" ; ", pendingText));
      pendingText.clear();
    }

    private void history(DockerfileInstruction i) {
      ObjectNode h = root.withArray("history").addObject();
      h.put("created", created);
      h.put("created_by", "/bin/sh -c #(nop) " + i.text());
      h.put("empty_layer", true);
    }

    String finish() throws IOException {
      root.put("created", created);
      String id = cache.writeBlob(JSON.writeValueAsBytes(root));
      LOG.debug("built image {} from a Dockerfile", id);
      return id;
    }
  }

  static ArrayNode array(List<String> values) {
    ArrayNode a = JSON.createArrayNode();
    values.forEach(a::add);
    return a;
  }
}
