package io.s2i.testing.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The file tree of a fake image or container, in memory: directories, files (optionally with a
 * {@link FakeProgram} that runs when the file is executed), symlinks; each with a mode and an
 * owner. A container's tree may have bind mounts, whose paths are real files of this machine (the
 * pipes s2i hands artifacts through, {@code -v} volumes).
 *
 * <p>Paths are absolute, {@code /}-separated; symlinks are followed in every component but, where
 * the method says so, the last. Permissions are recorded, not enforced. Thread-safe: the
 * processes of a container run on threads of their own.
 */
public final class FakeFileSystem {
  private static final int MAX_LINKS = 40;

  /** What a node is. */
  public enum Type { DIRECTORY, FILE, SYMLINK }

  /**
   * One entry of the tree; immutable (a change replaces it).
   *
   * @param type what it is
   * @param content a file's bytes (empty for the others)
   * @param mode permission bits ({@code 0755})
   * @param uid owner
   * @param gid group
   * @param linkTarget a symlink's target
   * @param program what runs when the file is executed, if it is a fake binary
   */
  public record Node(Type type, byte[] content, int mode, long uid, long gid, String linkTarget,
      FakeProgram program) {
    /** A directory. */
    public static Node directory(int mode, long uid, long gid) {
      return new Node(Type.DIRECTORY, new byte[0], mode, uid, gid, null, null);
    }

    /** A regular file. */
    public static Node file(byte[] content, int mode, long uid, long gid) {
      return new Node(Type.FILE, content, mode, uid, gid, null, null);
    }

    /** A symlink. */
    public static Node symlink(String target, long uid, long gid) {
      return new Node(Type.SYMLINK, new byte[0], 0777, uid, gid, target, null);
    }

    /** A fake binary: executing it runs {@code program}. */
    public static Node program(FakeProgram program) {
      return new Node(Type.FILE, "\u007fFAKE".getBytes(StandardCharsets.US_ASCII), 0755, 0, 0, null, program);
    }

    /** The file's content as UTF-8. */
    public String text() {
      return new String(content, StandardCharsets.UTF_8);
    }

    Node withOwner(long newUid, long newGid) {
      return new Node(type, content, mode, newUid, newGid, linkTarget, program);
    }
  }

  /** A host directory (or file) seen inside the container at {@code containerPath}. */
  record Bind(Path hostPath, String containerPath, boolean readOnly) {}

  private final TreeMap<String, Node> nodes;
  private final List<Bind> binds;

  private FakeFileSystem(TreeMap<String, Node> nodes, List<Bind> binds) {
    this.nodes = nodes;
    this.binds = List.copyOf(binds);
  }

  /** A tree with only {@code /}, {@code /tmp} and {@code /etc}. */
  public static FakeFileSystem empty() {
    TreeMap<String, Node> nodes = new TreeMap<>();
    nodes.put("/", Node.directory(0755, 0, 0));
    nodes.put("/tmp", Node.directory(01777, 0, 0));
    nodes.put("/etc", Node.directory(0755, 0, 0));
    return new FakeFileSystem(nodes, List.of());
  }

  /** A copy of this tree (bind mounts not included), sharing no state with it. */
  public synchronized FakeFileSystem snapshot() {
    return new FakeFileSystem(new TreeMap<>(nodes), List.of());
  }

  /** A copy of this tree with {@code binds} mounted. */
  synchronized FakeFileSystem withBinds(List<Bind> newBinds) {
    return new FakeFileSystem(new TreeMap<>(nodes), newBinds);
  }

  /** Every path of the tree with its node, sorted. */
  public synchronized Map<String, Node> nodes() {
    return new TreeMap<>(nodes);
  }

  // ---- paths ------------------------------------------------------------------------------

  /** {@code path} made absolute against {@code cwd} and cleaned of {@code .} and {@code ..}. */
  public static String normalize(String cwd, String path) {
    String joined = path.startsWith("/") ? path : (cwd.endsWith("/") ? cwd : cwd + "/") + path;
    List<String> out = new ArrayList<>();
    for (String part : joined.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
      } else {
        out.add(part);
      }
    }
    return "/" + String.join("/", out);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** The last component of a path. */
  public static String baseName(String path) {
    return path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1);
  }

  /** The path with symlinks resolved in every component (and the last when {@code followLast}). */
  private String resolve(String path, boolean followLast) throws IOException {
    String current = normalize("/", path);
    for (int hops = 0; hops < MAX_LINKS; hops++) {
      String[] parts = current.substring(1).split("/");
      StringBuilder done = new StringBuilder();
      boolean changed = false;
      for (int i = 0; i < parts.length && !parts[0].isEmpty(); i++) {
        String candidate = done + "/" + parts[i];
        Node n = hostBound(candidate) ? null : nodes.get(candidate);
        boolean last = i == parts.length - 1;
        if (n != null && n.type() == Type.SYMLINK && (!last || followLast)) {
          String target = n.linkTarget().startsWith("/") ? n.linkTarget()
              : (done.length() == 0 ? "/" : done) + "/" + n.linkTarget();
          StringBuilder rest = new StringBuilder();
          for (int j = i + 1; j < parts.length; j++) {
            rest.append('/').append(parts[j]);
          }
          current = normalize("/", target + rest);
          changed = true;
          break;
        }
        done.append('/').append(parts[i]);
      }
      if (!changed) {
        return current;
      }
    }
    throw new IOException(path + ": Too many levels of symbolic links");
  }

  // ---- binds ------------------------------------------------------------------------------

  private boolean hostBound(String path) {
    return host(path).isPresent();
  }

  /** The host path behind {@code path}, when a bind mount covers it. */
  private Optional<Path> host(String path) {
    for (Bind b : binds) {
      String mount = b.containerPath();
      if (path.equals(mount)) {
        return Optional.of(b.hostPath());
      }
      if (path.startsWith(mount.endsWith("/") ? mount : mount + "/")) {
        return Optional.of(b.hostPath().resolve(path.substring(mount.length() + 1)));
      }
    }
    return Optional.empty();
  }

  // ---- reading ----------------------------------------------------------------------------

  /** The node at {@code path}, the last symlink followed or not. */
  public synchronized Optional<Node> node(String path, boolean followLast) {
    try {
      String real = resolve(path, followLast);
      Optional<Path> host = host(real);
      if (host.isPresent()) {
        Path h = host.get();
        if (!Files.exists(h, LinkOption.NOFOLLOW_LINKS)) {
          return Optional.empty();
        }
        return Optional.of(Files.isDirectory(h) ? Node.directory(0755, 0, 0) : Node.file(new byte[0], 0644, 0, 0));
      }
      return Optional.ofNullable(nodes.get(real));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The node at {@code path}, symlinks followed. */
  public Optional<Node> node(String path) {
    return node(path, true);
  }

  /** Whether {@code path} exists (symlinks followed). */
  public boolean exists(String path) {
    return node(path).isPresent();
  }

  /** Whether {@code path} is a directory (symlinks followed). */
  public boolean isDirectory(String path) {
    return node(path).map(n -> n.type() == Type.DIRECTORY).orElse(false);
  }

  /** Whether {@code path} is a regular file (symlinks followed). */
  public boolean isFile(String path) {
    return node(path).map(n -> n.type() == Type.FILE).orElse(false);
  }

  /** A file's content as UTF-8, when it is a file. */
  public Optional<String> readString(String path) {
    return node(path).filter(n -> n.type() == Type.FILE).map(Node::text);
  }

  /** The names in a directory, sorted; empty when it is none. */
  public synchronized List<String> list(String dir) {
    try {
      String real = resolve(dir, true);
      Optional<Path> host = host(real);
      if (host.isPresent()) {
        try (var s = Files.list(host.get())) {
          return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
      }
      String prefix = real.equals("/") ? "/" : real + "/";
      List<String> names = new ArrayList<>();
      for (String p : nodes.tailMap(prefix, false).keySet()) {
        if (!p.startsWith(prefix)) {
          break;
        }
        if (p.indexOf('/', prefix.length()) < 0) {
          names.add(p.substring(prefix.length()));
        }
      }
      return names;
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Opens a file for reading; a bound path is read from the host (a pipe blocks until written). */
  public InputStream openRead(String path) throws IOException {
    String real;
    Optional<Path> host;
    synchronized (this) {
      real = resolve(path, true);
      host = host(real);
      if (host.isEmpty()) {
        Node n = nodes.get(real);
        if (n == null) {
          throw new NoSuchFileException(path);
        }
        if (n.type() == Type.DIRECTORY) {
          throw new IOException(path + ": Is a directory");
        }
        return new ByteArrayInputStream(n.content());
      }
    }
    // Outside the lock: opening a pipe waits for its writer. A pipe cannot seek: skipping reads,
    // and nothing asks for a position (a channel's stream would, in available()).
    return new java.io.FilterInputStream(new java.io.FileInputStream(host.get().toFile())) {
      @Override
      public long skip(long n) throws IOException {
        return in.readNBytes((int) Math.min(n, Integer.MAX_VALUE)).length;
      }

      @Override
      public int available() {
        return 0;
      }
    };
  }

  // ---- writing ----------------------------------------------------------------------------

  /**
   * Opens a file for writing (created or truncated, or appended to), owned by {@code uid:gid}
   * when created. The content is stored when the stream is closed; a bound path is the host's.
   */
  public OutputStream openWrite(String path, boolean append, long uid, long gid) throws IOException {
    String real;
    Optional<Path> host;
    byte[] existing;
    int mode;
    long owner;
    long group;
    synchronized (this) {
      real = resolve(path, true);
      host = host(real);
      if (host.isEmpty()) {
        Node parent = nodes.get(parent(real));
        if (parent == null || parent.type() != Type.DIRECTORY) {
          throw new NoSuchFileException(path, null, "Directory nonexistent");
        }
        Node n = nodes.get(real);
        if (n != null && n.type() == Type.DIRECTORY) {
          throw new IOException(path + ": Is a directory");
        }
        existing = append && n != null ? n.content() : new byte[0];
        mode = n != null ? n.mode() : 0644;
        owner = n != null ? n.uid() : uid;
        group = n != null ? n.gid() : gid;
        nodes.put(real, Node.file(existing, mode, owner, group));
      } else {
        existing = null;
        mode = 0;
        owner = 0;
        group = 0;
      }
    }
    if (host.isPresent()) {
      return new FileOutputStream(host.get().toFile(), append); // a pipe: s2i holds its other end
    }
    String target = real;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    buffer.write(existing);
    return new OutputStream() {
      @Override
      public void write(int b) {
        buffer.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
      }

      @Override
      public void close() {
        synchronized (FakeFileSystem.this) {
          nodes.put(target, Node.file(buffer.toByteArray(), mode, owner, group));
        }
      }
    };
  }

  /** Puts {@code node} at {@code path} (replacing what is there); the parent must be a directory. */
  public synchronized void put(String path, Node node) throws IOException {
    String real = normalize("/", path);
    if (!real.equals("/")) {
      String dir = resolve(parent(real), true);
      real = dir.equals("/") ? "/" + baseName(real) : dir + "/" + baseName(real);
      Node parent = nodes.get(dir);
      if (parent == null || parent.type() != Type.DIRECTORY) {
        throw new NoSuchFileException(path, null, "No such file or directory");
      }
    }
    requireNotBound(real);
    Node old = nodes.get(real);
    if (old != null && old.type() == Type.DIRECTORY && node.type() == Type.DIRECTORY) {
      return; // an existing directory stays as it is, as tar and mkdir -p leave it
    }
    if (old != null && old.type() == Type.DIRECTORY) {
      deleteTree(real);
    }
    nodes.put(real, node);
  }

  /** Writes a file, creating its parent directories (root-owned, 0755) as needed. */
  public synchronized void writeFile(String path, byte[] content, int mode, long uid, long gid)
      throws IOException {
    mkdirs(parent(normalize("/", path)), 0755, 0, 0);
    put(path, Node.file(content, mode, uid, gid));
  }

  /** Writes a UTF-8 text file, mode 0644 owned by root, creating parent directories. */
  public void writeFile(String path, String content) throws IOException {
    writeFile(path, content.getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
  }

  /** Creates a directory and its missing parents; existing directories are kept as they are. */
  public synchronized void mkdirs(String path, int mode, long uid, long gid) throws IOException {
    String real = resolve(path, true);
    if (hostBound(real)) {
      Files.createDirectories(host(real).orElseThrow());
      return;
    }
    StringBuilder p = new StringBuilder();
    for (String part : real.substring(1).split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      p.append('/').append(part);
      Node n = nodes.get(p.toString());
      if (n == null) {
        nodes.put(p.toString(), Node.directory(mode, uid, gid));
      } else if (n.type() != Type.DIRECTORY) {
        throw new IOException(p + ": File exists");
      }
    }
  }

  /** Removes {@code path} and everything under it; a symlink itself, not its target. */
  public synchronized boolean delete(String path) throws IOException {
    String norm = normalize("/", path);
    if (norm.equals("/")) {
      throw new IOException("refusing to remove /");
    }
    String dir = resolve(parent(norm), true);
    String real = dir.equals("/") ? "/" + baseName(norm) : dir + "/" + baseName(norm);
    requireNotBound(real);
    if (!nodes.containsKey(real)) {
      return false;
    }
    deleteTree(real);
    return true;
  }

  /** Changes the owner of {@code path} (not following a last symlink). */
  public synchronized void chown(String path, long uid, long gid) throws IOException {
    String real = resolve(path, false);
    Node n = nodes.get(real);
    if (n == null) {
      throw new NoSuchFileException(path);
    }
    nodes.put(real, n.withOwner(uid, gid));
  }

  private void deleteTree(String real) {
    nodes.remove(real);
    String prefix = real + "/";
    nodes.subMap(prefix, prefix + Character.MAX_VALUE).clear();
  }

  private void requireNotBound(String real) throws IOException {
    if (hostBound(real)) {
      throw new IOException(real + ": Device or resource busy (a bind mount)");
    }
  }

  /** The total size of the files, for an image's size. */
  public synchronized long size() {
    return nodes.values().stream().mapToLong(n -> n.content().length).sum();
  }
}
