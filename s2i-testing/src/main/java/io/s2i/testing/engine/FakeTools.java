package io.s2i.testing.engine;

import io.s2i.testing.engine.FakeFileSystem.Node;
import io.s2i.testing.engine.FakeFileSystem.Type;
import io.s2i.internal.archive.NonClosingOutputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The programs of a fake base image, each behaving as the GNU or dash one does for what s2i and
 * builder scripts use of it: {@code sh} ({@link FakeShell}), {@code tar} ({@code -x}/{@code -c},
 * {@code -C}, {@code -f}), {@code rm}, {@code mkdir}, {@code cat}, {@code cp}, {@code ln},
 * {@code touch}, {@code chmod}, {@code sleep}, {@code true}, {@code false}, {@code id},
 * {@code wc -c}, {@code stat -c}.
 */
public final class FakeTools {
  private FakeTools() {}

  /** Every tool by its path in a base image. */
  public static Map<String, FakeProgram> all() {
    Map<String, FakeProgram> tools = new LinkedHashMap<>();
    tools.put("/bin/sh", new FakeShell());
    tools.put("/bin/tar", FakeTools::tar);
    tools.put("/bin/rm", FakeTools::rm);
    tools.put("/bin/mkdir", FakeTools::mkdir);
    tools.put("/bin/cat", FakeTools::cat);
    tools.put("/bin/cp", FakeTools::cp);
    tools.put("/bin/ln", FakeTools::ln);
    tools.put("/bin/touch", FakeTools::touch);
    tools.put("/bin/chmod", FakeTools::chmod);
    tools.put("/bin/sleep", FakeTools::sleep);
    tools.put("/bin/true", p -> 0);
    tools.put("/bin/false", p -> 1);
    tools.put("/usr/bin/id", FakeTools::id);
    tools.put("/usr/bin/wc", FakeTools::wc);
    tools.put("/usr/bin/stat", FakeTools::stat);
    return tools;
  }

  // ---- tar --------------------------------------------------------------------------------

  static int tar(FakeProcess p) throws IOException {
    String mode = null;
    String file = null;
    String dir = p.workingDir();
    List<String> members = new ArrayList<>();
    List<String> args = p.args();
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-C") || a.equals("--directory")) {
        dir = p.path(args.get(++i));
      } else if (a.startsWith("-") && a.length() > 1 && !a.startsWith("--")) {
        for (int j = 1; j < a.length(); j++) {
          char c = a.charAt(j);
          if (c == 'x' || c == 'c' || c == 't') {
            mode = String.valueOf(c);
          } else if (c == 'f') {
            file = args.get(++i);
          } else if (c == 'C') {
            dir = p.path(args.get(++i));
          }
        }
      } else if (!a.startsWith("--")) {
        members.add(a);
      }
    }
    if (mode == null) {
      p.err("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
      return 2;
    }
    if (!p.files().isDirectory(dir)) {
      p.err("tar: " + dir + ": Cannot open: No such file or directory");
      p.err("tar: Error is not recoverable: exiting now");
      return 2;
    }
    if (mode.equals("c")) {
      OutputStream out = file == null || file.equals("-") ? p.stdout()
          : p.files().openWrite(p.path(file), false, p.uid(), p.gid());
      try {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosingOutputStream(out));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (String m : members) {
          String path = FakeFileSystem.normalize(dir, m);
          if (!p.files().node(path, false).isPresent()) {
            p.err("tar: " + m + ": Cannot stat: No such file or directory");
            return 2;
          }
          writeTree(p.files(), path, m.replaceAll("/+$", ""), tar);
        }
        tar.finish();
        tar.flush();
      } finally {
        if (out != p.stdout()) {
          out.close();
        }
      }
      return 0;
    }
    InputStream in = file == null || file.equals("-") ? p.stdin() : p.files().openRead(p.path(file));
    try {
      return extract(p, new BufferedInputStream(in), dir);
    } finally {
      if (in != p.stdin()) {
        in.close();
      }
    }
  }

  static int extract(FakeProcess p, InputStream input, String dir) throws IOException {
    long[] read = new long[1];
    InputStream in = new java.io.FilterInputStream(input) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        read[0] += b < 0 ? 0 : 1;
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        read[0] += Math.max(0, n);
        return n;
      }
    };
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    int status = 0;
    boolean any = false;
    TarArchiveEntry e;
    try {
      while ((e = tar.getNextEntry()) != null) {
        any = true;
        String name = e.getName();
        while (name.startsWith("/")) {
          name = name.substring(1);
        }
        if (("/" + name + "/").contains("/../")) {
          p.err("tar: " + e.getName() + ": Member name contains '..'");
          status = 2;
          continue;
        }
        String path = FakeFileSystem.normalize(dir, name);
        if (path.equals(dir)) {
          continue;
        }
        long uid = p.uid() == 0 ? e.getLongUserId() : p.uid();
        long gid = p.uid() == 0 ? e.getLongGroupId() : p.gid();
        FakeFileSystem fs = p.files();
        String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
        if (!fs.isDirectory(parent)) {
          fs.mkdirs(parent, 0755, p.uid(), p.gid());
        }
        int mode = e.getMode() & 07777;
        if (e.isDirectory()) {
          if (!fs.isDirectory(path)) {
            fs.put(path, Node.directory(mode, uid, gid));
          }
        } else if (e.isSymbolicLink()) {
          fs.put(path, Node.symlink(e.getLinkName(), uid, gid));
        } else if (e.isLink()) {
          String target = FakeFileSystem.normalize(dir, e.getLinkName());
          Node linked = fs.node(target, false).orElse(null);
          if (linked == null) {
            p.err("tar: " + name + ": Cannot hard link to '" + e.getLinkName() + "': No such file or directory");
            status = 2;
            continue;
          }
          fs.put(path, linked);
        } else if (e.isFile()) {
          fs.put(path, Node.file(tar.readAllBytes(), mode, uid, gid));
        }
      }
    } catch (IOException ex) {
      if (!any) {
        p.err("tar: This does not look like a tar archive");
      } else {
        p.err("tar: Unexpected EOF in archive");
      }
      p.err("tar: Exiting with failure status due to previous errors");
      return 2;
    }
    if (!any && read[0] == 0) {
      // GNU tar refuses an empty input, but not an archive of only its end blocks.
      p.err("tar: This does not look like a tar archive");
      p.err("tar: Exiting with failure status due to previous errors");
      return 2;
    }
    if (status != 0) {
      p.err("tar: Exiting with failure status due to previous errors");
    }
    in.transferTo(OutputStream.nullOutputStream()); // as GNU tar, read to the end
    return status;
  }

  /** Writes {@code path} (and, for a directory, everything under it) as {@code name...} entries. */
  static void writeTree(FakeFileSystem fs, String path, String name, TarArchiveOutputStream tar)
      throws IOException {
    Map<String, Node> all = fs.nodes();
    Node root = fs.node(path, false).orElseThrow();
    writeEntry(name, root, tar);
    if (root.type() == Type.DIRECTORY) {
      String prefix = path.equals("/") ? "/" : path + "/";
      for (Map.Entry<String, Node> n : all.entrySet()) {
        if (n.getKey().startsWith(prefix)) {
          String rel = n.getKey().substring(prefix.length());
          writeEntry(name.isEmpty() || name.equals(".") ? rel : name + "/" + rel, n.getValue(), tar);
        }
      }
    }
  }

  private static void writeEntry(String name, Node n, TarArchiveOutputStream tar) throws IOException {
    TarArchiveEntry e;
    if (n.type() == Type.DIRECTORY) {
      e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
      e.setMode(040000 | n.mode());
    } else if (n.type() == Type.SYMLINK) {
      e = new TarArchiveEntry(name, org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
      e.setLinkName(n.linkTarget());
      e.setMode(0120777);
    } else {
      e = new TarArchiveEntry(name);
      e.setMode(0100000 | n.mode());
      e.setSize(n.content().length);
    }
    e.setUserId(n.uid());
    e.setGroupId(n.gid());
    tar.putArchiveEntry(e);
    if (n.type() == Type.FILE) {
      tar.write(n.content());
    }
    tar.closeArchiveEntry();
  }

  // ---- file tools -------------------------------------------------------------------------

  private static List<String> operands(FakeProcess p, StringBuilder flags) {
    List<String> operands = new ArrayList<>();
    boolean options = true;
    for (String a : p.args().subList(1, p.args().size())) {
      if (options && a.equals("--")) {
        options = false;
      } else if (options && a.startsWith("-") && a.length() > 1) {
        flags.append(a.substring(1));
      } else {
        operands.add(a);
      }
    }
    return operands;
  }

  static int rm(FakeProcess p) throws IOException {
    StringBuilder flags = new StringBuilder();
    int status = 0;
    for (String a : operands(p, flags)) {
      String path = p.path(a);
      boolean recursive = flags.indexOf("r") >= 0 || flags.indexOf("R") >= 0;
      boolean force = flags.indexOf("f") >= 0;
      var node = p.files().node(path, false);
      if (node.isEmpty()) {
        if (!force) {
          p.err("rm: cannot remove '" + a + "': No such file or directory");
          status = 1;
        }
        continue;
      }
      if (node.get().type() == Type.DIRECTORY && !recursive) {
        p.err("rm: cannot remove '" + a + "': Is a directory");
        status = 1;
        continue;
      }
      p.files().delete(path);
    }
    return status;
  }

  static int mkdir(FakeProcess p) throws IOException {
    List<String> args = p.args();
    boolean parents = false;
    int mode = 0755;
    List<String> dirs = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-p")) {
        parents = true;
      } else if (a.equals("-m")) {
        mode = Integer.parseInt(args.get(++i), 8);
      } else if (a.startsWith("-m")) {
        mode = Integer.parseInt(a.substring(2), 8);
      } else {
        dirs.add(a);
      }
    }
    for (String d : dirs) {
      String path = p.path(d);
      if (!parents) {
        if (p.files().exists(path)) {
          p.err("mkdir: cannot create directory '" + d + "': File exists");
          return 1;
        }
        String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
        if (!p.files().isDirectory(parent)) {
          p.err("mkdir: cannot create directory '" + d + "': No such file or directory");
          return 1;
        }
      }
      p.files().mkdirs(path, mode, p.uid(), p.gid());
    }
    return 0;
  }

  static int cat(FakeProcess p) throws IOException {
    List<String> files = p.args().subList(1, p.args().size());
    if (files.isEmpty()) {
      p.stdin().transferTo(p.stdout());
      p.stdout().flush();
      return 0;
    }
    int status = 0;
    for (String f : files) {
      try (InputStream in = p.files().openRead(p.path(f))) {
        in.transferTo(p.stdout());
      } catch (IOException e) {
        p.err("cat: " + f + ": No such file or directory");
        status = 1;
      }
    }
    p.stdout().flush();
    return status;
  }

  static int cp(FakeProcess p) throws IOException {
    StringBuilder flags = new StringBuilder();
    List<String> ops = operands(p, flags);
    if (ops.size() < 2) {
      p.err("cp: missing destination file operand");
      return 1;
    }
    boolean recursive = flags.indexOf("r") >= 0 || flags.indexOf("R") >= 0 || flags.indexOf("a") >= 0;
    boolean keep = flags.indexOf("p") >= 0 || flags.indexOf("a") >= 0;
    String dest = p.path(ops.get(ops.size() - 1));
    boolean intoDir = p.files().isDirectory(dest);
    for (String src : ops.subList(0, ops.size() - 1)) {
      String from = p.path(src);
      var node = p.files().node(from);
      if (node.isEmpty()) {
        p.err("cp: cannot stat '" + src + "': No such file or directory");
        return 1;
      }
      String base = src.endsWith("/.") || src.equals(".") ? "." : FakeFileSystem.baseName(from);
      String to = intoDir ? FakeFileSystem.normalize(dest, base) : dest;
      if (node.get().type() == Type.DIRECTORY && !recursive) {
        p.err("cp: -r not specified; omitting directory '" + src + "'");
        return 1;
      }
      copy(p, from, to, keep);
    }
    return 0;
  }

  private static void copy(FakeProcess p, String from, String to, boolean keep) throws IOException {
    FakeFileSystem fs = p.files();
    Node n = fs.node(from).orElseThrow();
    long uid = keep ? n.uid() : p.uid();
    long gid = keep ? n.gid() : p.gid();
    if (n.type() == Type.DIRECTORY) {
      if (!fs.isDirectory(to)) {
        fs.put(to, Node.directory(n.mode(), uid, gid));
      }
      for (String child : fs.list(from)) {
        String src = from.equals("/") ? "/" + child : from + "/" + child;
        Node c = fs.node(src, false).orElseThrow();
        String dst = to.equals("/") ? "/" + child : to + "/" + child;
        if (c.type() == Type.SYMLINK) {
          fs.put(dst, Node.symlink(c.linkTarget(), keep ? c.uid() : p.uid(), keep ? c.gid() : p.gid()));
        } else {
          copy(p, src, dst, keep);
        }
      }
    } else {
      fs.put(to, new Node(Type.FILE, n.content(), n.mode(), uid, gid, null, n.program()));
    }
  }

  static int ln(FakeProcess p) throws IOException {
    StringBuilder flags = new StringBuilder();
    List<String> ops = operands(p, flags);
    if (ops.size() != 2 || flags.indexOf("s") < 0) {
      p.err("ln: the fake ln makes symbolic links only: ln -s TARGET LINK");
      return 1;
    }
    String link = p.path(ops.get(1));
    if (flags.indexOf("f") >= 0) {
      p.files().delete(link);
    }
    p.files().put(link, Node.symlink(ops.get(0), p.uid(), p.gid()));
    return 0;
  }

  static int touch(FakeProcess p) throws IOException {
    for (String f : p.args().subList(1, p.args().size())) {
      String path = p.path(f);
      if (!p.files().exists(path)) {
        p.files().put(path, Node.file(new byte[0], 0644, p.uid(), p.gid()));
      }
    }
    return 0;
  }

  static int chmod(FakeProcess p) throws IOException {
    List<String> args = p.args();
    int mode = Integer.parseInt(args.get(1), 8);
    for (String f : args.subList(2, args.size())) {
      String path = p.path(f);
      Node n = p.files().node(path).orElse(null);
      if (n == null) {
        p.err("chmod: cannot access '" + f + "': No such file or directory");
        return 1;
      }
      p.files().put(path, new Node(n.type(), n.content(), mode, n.uid(), n.gid(), n.linkTarget(), n.program()));
    }
    return 0;
  }

  static int sleep(FakeProcess p) throws InterruptedException {
    double seconds = Double.parseDouble(p.args().get(1));
    Thread.sleep((long) (seconds * 1000));
    return 0;
  }

  static int id(FakeProcess p) throws IOException {
    String flag = p.args().size() > 1 ? p.args().get(1) : "";
    switch (flag) {
      case "-u" -> p.out(Long.toString(p.uid()));
      case "-g" -> p.out(Long.toString(p.gid()));
      default -> p.out("uid=" + p.uid() + " gid=" + p.gid());
    }
    return 0;
  }

  static int wc(FakeProcess p) throws IOException {
    long count = p.stdin().transferTo(OutputStream.nullOutputStream());
    p.out(Long.toString(count));
    return 0;
  }

  static int stat(FakeProcess p) throws IOException {
    List<String> args = p.args();
    String format = null;
    List<String> files = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      if (args.get(i).equals("-c")) {
        format = args.get(++i);
      } else {
        files.add(args.get(i));
      }
    }
    for (String f : files) {
      Node n = p.files().node(p.path(f)).orElse(null);
      if (n == null) {
        p.err("stat: cannot statx '" + f + "': No such file or directory");
        return 1;
      }
      String text = format == null ? "  File: " + f : format
          .replace("%u", Long.toString(n.uid()))
          .replace("%g", Long.toString(n.gid()))
          .replace("%a", Integer.toOctalString(n.mode()))
          .replace("%s", Integer.toString(n.content().length))
          .replace("%n", f);
      p.out(text);
    }
    return 0;
  }
}
