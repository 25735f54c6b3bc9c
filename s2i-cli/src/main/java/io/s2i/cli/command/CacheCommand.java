package io.s2i.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.S2i;
import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.PullPolicy;
import io.s2i.api.S2iException;
import io.s2i.cli.S2iCli;
import io.s2i.cli.console.ConsoleRenderer;
import io.s2i.cli.options.EngineOptions;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ImageCache;
import io.s2i.Credentials;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code s2i cache}: the daemonless engine's image cache ({@code ls}, {@code prune}, {@code rm},
 * {@code pull}). Without {@code --engine} these use the oci engine; a daemon's images are the
 * daemon's to manage.
 */
@Command(name = "cache", description = "List, prune and fill the daemonless (oci) engine's image cache.",
    subcommands = {CacheCommand.Ls.class, CacheCommand.Prune.class, CacheCommand.Rm.class, CacheCommand.Pull.class})
public final class CacheCommand implements Runnable {
  @ParentCommand S2iCli root;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The engine named by --engine (the oci engine by default) and its cache. */
  private static final class Opened implements AutoCloseable {
    final ContainerEngine engine;
    final ImageCache cache;

    Opened(S2iCli root, ConsoleRenderer console) throws S2iException {
      if (root.engine == null || root.engine.isBlank()) {
        root.engine = "oci";
      }
      engine = EngineOptions.open(root, console::debug);
      Optional<ImageCache> c = engine.cache();
      if (c.isEmpty()) {
        String name = engine.name();
        engine.close();
        throw new S2iException(FailureReason.INVALID_REQUEST, "the " + name
            + " engine keeps no s2i cache: its daemon manages its images",
            "use --engine oci (for Docker's images: docker image ls / docker image prune)", null);
      }
      cache = c.get();
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** {@code s2i cache ls}. */
  @Command(name = "ls", description = "List the cached images (most recently used first) and the cache's size.")
  static final class Ls implements Callable<Integer> {
    @ParentCommand CacheCommand parent;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
    boolean help;

    @Option(names = "--json", description = "Print the listing as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      ConsoleRenderer console = new ConsoleRenderer(System.err, parent.root.logLevel, false);
      ImageCache.Usage usage;
      try (Opened o = new Opened(parent.root, console)) {
        usage = o.cache.usage();
      }
      PrintStream out = System.out;
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode doc = mapper.createObjectNode();
        doc.put("location", usage.location());
        doc.put("totalBytes", usage.totalBytes());
        doc.put("layers", usage.layers());
        doc.put("reclaimableBytes", usage.reclaimableBytes());
        usage.limitBytes().ifPresent(l -> doc.put("limitBytes", l));
        for (ImageCache.Image i : usage.images()) {
          ObjectNode n = doc.withArray("images").addObject();
          n.put("id", i.id());
          i.names().forEach(n.withArray("names")::add);
          n.put("sizeBytes", i.sizeBytes());
          n.put("lastUsed", i.lastUsed().toString());
          n.put("inUse", i.inUse());
        }
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        return 0;
      }
      DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"IMAGE", "ID", "SIZE", "LAST USED", "IN USE"});
      for (ImageCache.Image i : usage.images()) {
        List<String> names = i.names().isEmpty() ? List.of("<none>") : i.names();
        for (String name : names) {
          rows.add(new String[] {name, i.id().substring(7, 19), bytes(i.sizeBytes()), time.format(i.lastUsed()),
              i.inUse() ? "yes" : ""});
        }
      }
      int[] widths = new int[5];
      rows.forEach(r -> {
        for (int c = 0; c < r.length; c++) {
          widths[c] = Math.max(widths[c], r[c].length());
        }
      });
      for (String[] r : rows) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < r.length; c++) {
          line.append(c == r.length - 1 ? r[c] : String.format("%-" + (widths[c] + 2) + "s", r[c]));
        }
        out.println(line.toString().stripTrailing());
      }
      out.println(usage.images().size() + " images, " + usage.layers() + " layers, " + bytes(usage.totalBytes())
          + " in " + usage.location()
          + usage.limitBytes().stream().mapToObj(l -> " (cap " + bytes(l) + ", S2I_OCI_CACHE_MAX)").findFirst().orElse("")
          + "; " + bytes(usage.reclaimableBytes()) + " unused (s2i cache prune)");
      return 0;
    }
  }

  /** {@code s2i cache prune}. */
  @Command(name = "prune", description = "Remove unused images and layers: untagged images and layers no image"
      + " uses; with --all every image; with --max down to a size, least recently used first. What running builds"
      + " use is never removed.")
  static final class Prune implements Callable<Integer> {
    @ParentCommand CacheCommand parent;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
    boolean help;

    @Option(names = {"-a", "--all"}, description = "Remove every image no running build uses, tagged or not.")
    boolean all;

    @Option(names = "--max", paramLabel = "SIZE",
        description = "Remove images least recently used first until the cache is at most SIZE (such as 10G).")
    String max;

    @Override
    public Integer call() throws Exception {
      if (all && max != null) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "--all and --max cannot be used together",
            "give one of them", null);
      }
      ImageCache.PruneRequest request = ImageCache.PruneRequest.unused();
      if (all) {
        request = new ImageCache.PruneRequest(ImageCache.PruneScope.ALL, OptionalLong.empty());
      } else if (max != null) {
        long limit = ImageCache.parseSize(max).orElseThrow(() -> new S2iException(FailureReason.INVALID_REQUEST,
            "--max " + max + " is not a size", "give a size such as 10G, 512M or a number of bytes", null));
        request = new ImageCache.PruneRequest(ImageCache.PruneScope.TO_SIZE, OptionalLong.of(limit));
      }
      ConsoleRenderer console = new ConsoleRenderer(System.err, parent.root.logLevel, false);
      ImageCache.PruneResult r;
      try (Opened o = new Opened(parent.root, console)) {
        r = o.cache.prune(request);
      }
      for (String image : r.removedImages()) {
        System.out.println("Deleted: " + image);
      }
      System.out.println("Removed " + r.removedImages().size() + " images and " + r.removedLayers() + " layers: "
          + bytes(r.reclaimedBytes()) + " freed, " + bytes(r.remainingBytes()) + " left"
          + (r.skippedInUse() > 0 ? "; " + r.skippedInUse() + " images kept because running builds use them" : ""));
      return 0;
    }
  }

  /** {@code s2i cache rm}. */
  @Command(name = "rm", description = "Remove names from the cache; their images go with the next prune.")
  static final class Rm implements Callable<Integer> {
    @ParentCommand CacheCommand parent;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Names of cached images.")
    List<String> names;

    @Override
    public Integer call() throws Exception {
      ConsoleRenderer console = new ConsoleRenderer(System.err, parent.root.logLevel, false);
      List<String> removed;
      try (Opened o = new Opened(parent.root, console)) {
        removed = o.cache.untag(names);
      }
      removed.forEach(n -> System.out.println("Untagged: " + n));
      List<String> missing = new ArrayList<>(names);
      missing.removeAll(removed);
      if (!missing.isEmpty()) {
        throw new S2iException(FailureReason.PULL_BUILDER_IMAGE_FAILED, "no image named " + String.join(", ", missing)
            + " in the cache", "list the cache's names with s2i cache ls", null);
      }
      return 0;
    }
  }

  /** {@code s2i cache pull}. */
  @Command(name = "pull", description = "Pull images into the cache (before builds run, such as in a container image"
      + " or an init step).")
  static final class Pull implements Callable<Integer> {
    @ParentCommand CacheCommand parent;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Images: registry names, oci:DIR[:TAG] or"
        + " docker-archive:FILE.")
    List<String> images;

    @Option(names = "--dockercfg-path", paramLabel = "FILE",
        description = "Registry credentials file (Docker config.json), read before $DOCKER_CONFIG/config.json and ~/.docker/config.json.")
    String dockercfgPath;

    @Option(names = {"-p", "--pull-policy"}, paramLabel = "POLICY", converter = io.s2i.cli.options.Converters.Pull.class,
        description = "always (default) or if-not-present.")
    PullPolicy pullPolicy = PullPolicy.ALWAYS;

    @Override
    public Integer call() throws Exception {
      List<ImageRef> refs = new ArrayList<>();
      for (String image : images) {
        try {
          refs.add(ImageRef.parseSource(image));
        } catch (IllegalArgumentException e) {
          throw new S2iException(FailureReason.INVALID_REQUEST, "invalid image \"" + image + "\": " + e.getMessage(),
              null);
        }
      }
      Optional<Path> explicit = Optional.empty();
      if (dockercfgPath != null && !dockercfgPath.isBlank()) {
        Path p = Path.of(dockercfgPath);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
          throw new S2iException(FailureReason.INVALID_REQUEST, "--dockercfg-path " + dockercfgPath
              + " is not a readable file", "give the path of a Docker config.json", null);
        }
        explicit = Optional.of(p);
      }
      ConsoleRenderer console = new ConsoleRenderer(System.err, parent.root.logLevel, false,
          System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM")));
      try (Opened o = new Opened(parent.root, console)) {
        S2i s2i = S2i.builder().engine(o.engine).events(console)
            .credentials(Credentials.dockerConfig(explicit, System.getenv())).build();
        for (ImageRef ref : refs) {
          String id = s2i.pull(ref, pullPolicy);
          System.out.println(ref.withDefaultTag() + " " + id);
        }
      }
      return 0;
    }
  }
}
