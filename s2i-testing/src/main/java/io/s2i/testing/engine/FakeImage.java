package io.s2i.testing.engine;

import io.s2i.engine.ImageInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An image of a {@link FakeEngine}: its configuration (labels, env, user, working dir,
 * entrypoint, cmd, ONBUILD triggers) and its files. Immutable; {@link #files()} gives a copy.
 */
public final class FakeImage {
  private final String id;
  private final Map<String, String> labels;
  private final List<String> env;
  private final String user;
  private final String workingDir;
  private final List<String> entrypoint;
  private final List<String> cmd;
  private final List<String> onBuild;
  private final FakeFileSystem files;
  private final List<String> layers;

  FakeImage(String id, Map<String, String> labels, List<String> env, String user, String workingDir,
      List<String> entrypoint, List<String> cmd, List<String> onBuild, FakeFileSystem files, List<String> layers) {
    this.id = id;
    this.labels = Map.copyOf(labels);
    this.env = List.copyOf(env);
    this.user = user == null ? "" : user;
    this.workingDir = workingDir == null ? "" : workingDir;
    this.entrypoint = List.copyOf(entrypoint);
    this.cmd = List.copyOf(cmd);
    this.onBuild = List.copyOf(onBuild);
    this.files = files;
    this.layers = List.copyOf(layers);
  }

  /** The image id ({@code sha256:...}). */
  public String id() {
    return id;
  }

  /** Its labels. */
  public Map<String, String> labels() {
    return labels;
  }

  /** Its environment, {@code NAME=VALUE}. */
  public List<String> env() {
    return env;
  }

  /** Its {@code USER}; empty for root. */
  public String user() {
    return user;
  }

  /** Its {@code WORKDIR}; empty when unset. */
  public String workingDir() {
    return workingDir;
  }

  /** Its entrypoint. */
  public List<String> entrypoint() {
    return entrypoint;
  }

  /** Its command. */
  public List<String> cmd() {
    return cmd;
  }

  /** Its ONBUILD triggers. */
  public List<String> onBuild() {
    return onBuild;
  }

  /** A copy of its files, to look at. */
  public FakeFileSystem files() {
    return files.snapshot();
  }

  FakeFileSystem sharedFiles() {
    return files;
  }

  List<String> layers() {
    return layers;
  }

  /** What the engine's inspect says of it. */
  public ImageInfo info() {
    return new ImageInfo(id, labels, env, user, workingDir, entrypoint, cmd, onBuild, Math.max(1, files.size()), layers);
  }

  /** Starts an image with an empty file tree ({@code /}, {@code /tmp}, {@code /etc}) and no tools. */
  public static Builder builder() {
    return new Builder(FakeFileSystem.empty());
  }

  /**
   * Starts an image like a Debian base: {@link FakeTools} in {@code /bin} and {@code /usr/bin},
   * {@code PATH} set, {@code /etc/passwd} with root and {@code default} (uid 1001, home
   * {@code /opt/app-root/src}).
   */
  public static Builder base() {
    Builder b = builder()
        .env("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\ndefault:x:1001:0:Default:/opt/app-root/src:/bin/sh\n", 0644);
    FakeTools.all().forEach(b::program);
    return b;
  }

  /** Starts an image from this one: same files and configuration (the id is new). */
  public Builder toBuilder() {
    Builder b = new Builder(files.snapshot());
    b.labels.putAll(labels);
    b.env.addAll(env);
    b.user = user;
    b.workingDir = workingDir;
    b.entrypoint = entrypoint;
    b.cmd = cmd;
    b.onBuild.addAll(onBuild);
    b.layers.addAll(layers);
    return b;
  }

  /** Collects an image's configuration and files; {@link FakeEngine#add} makes it. */
  public static final class Builder {
    private final FakeFileSystem files;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<String> env = new ArrayList<>();
    private String user = "";
    private String workingDir = "";
    private List<String> entrypoint = List.of();
    private List<String> cmd = List.of();
    private final List<String> onBuild = new ArrayList<>();
    private final List<String> layers = new ArrayList<>();

    private Builder(FakeFileSystem files) {
      this.files = files;
    }

    /** Adds a label. */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** Adds (or replaces, by name) an environment entry {@code NAME=VALUE}. */
    public Builder env(String entry) {
      String name = entry.substring(0, entry.indexOf('=') + 1);
      env.removeIf(e -> e.startsWith(name));
      env.add(entry);
      return this;
    }

    /** Sets {@code USER}. */
    public Builder user(String value) {
      user = value;
      return this;
    }

    /** Sets {@code WORKDIR} (and creates it). */
    public Builder workingDir(String dir) {
      workingDir = dir;
      return dir(dir);
    }

    /** Sets the entrypoint. */
    public Builder entrypoint(String... args) {
      entrypoint = List.of(args);
      return this;
    }

    /** Sets the command. */
    public Builder cmd(String... args) {
      cmd = List.of(args);
      return this;
    }

    /** Adds an ONBUILD trigger, such as {@code COPY . /opt/app}. */
    public Builder onBuild(String trigger) {
      onBuild.add(trigger);
      return this;
    }

    /** Adds a directory (and its parents), mode 0755 owned by root. */
    public Builder dir(String path) {
      try {
        files.mkdirs(path, 0755, 0, 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Adds a file owned by root, creating its parent directories. */
    public Builder file(String path, String content, int mode) {
      try {
        files.writeFile(path, content.getBytes(StandardCharsets.UTF_8), mode, 0, 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Adds a shell script (mode 0755): {@code #!/bin/sh} and {@code body}, run by {@link FakeShell}. */
    public Builder script(String path, String body) {
      return file(path, "#!/bin/sh\n" + body + (body.endsWith("\n") ? "" : "\n"), 0755);
    }

    /** Adds a fake binary: executing {@code path} runs {@code program}. */
    public Builder program(String path, FakeProgram program) {
      try {
        files.mkdirs(path.substring(0, Math.max(1, path.lastIndexOf('/'))), 0755, 0, 0);
        files.put(path, FakeFileSystem.Node.program(program));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Removes a file or directory, for an image that lacks a tool ({@code /bin/tar}, {@code /bin/sh}). */
    public Builder without(String path) {
      try {
        files.delete(path);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Removes every tool but the ones named by path, for a minimal image. */
    public Builder onlyTools(Set<String> keep) {
      for (String tool : FakeTools.all().keySet()) {
        if (!keep.contains(tool)) {
          without(tool);
        }
      }
      return this;
    }

    FakeImage build(String id) {
      List<String> allLayers = new ArrayList<>(layers);
      allLayers.add("sha256:" + id.substring("sha256:".length()));
      return new FakeImage(id, labels, env, user, workingDir, entrypoint, cmd, onBuild, files.snapshot(), allLayers);
    }
  }
}
