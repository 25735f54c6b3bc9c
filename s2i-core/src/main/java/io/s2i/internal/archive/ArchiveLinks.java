package io.s2i.internal.archive;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symlinks a tar stream has made so far, so that every later path can be resolved the way the
 * unpacking {@code tar} will resolve it on disk. Checking a link's target on its own text is not
 * enough: with {@code l2 -> .} in place, {@code l1 -> l2/..} names the parent of the root, and an
 * entry {@code l1/file} is then written outside it. Paths are relative to the root, cleaned, with
 * forward slashes.
 */
final class ArchiveLinks {
  /** As the kernel's limit on links followed in one lookup (ELOOP). */
  private static final int MAX_HOPS = 40;

  private final Map<String, String> links = new HashMap<>();

  /** Why a path cannot be resolved inside the root. */
  static final class Escape extends Exception {
    private static final long serialVersionUID = 1L;

    Escape(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Records {@code name} as a symlink to {@code target}, after checking every link still stays inside. */
  void addSymlink(String name, String target) throws Escape {
    if (target.startsWith("/")) {
      throw new Escape("it points to the absolute path " + target);
    }
    links.put(name, target);
    // A new link can change where an earlier one leads (l1 -> l2/.. before l2 -> .).
    for (Map.Entry<String, String> e : links.entrySet()) {
      resolve(parent(e.getKey()), e.getValue(), true);
    }
  }

  /** A non-link entry replaces whatever link had its name. */
  void replacedBy(String name) {
    links.remove(name);
  }

  /**
   * Where a new entry called {@code name} lands: its parent directories are resolved through the
   * links made so far (the entry itself is created, not followed).
   */
  String landing(String name) throws Escape {
    String parent = resolve("", parent(name), true);
    String base = name.substring(name.lastIndexOf('/') + 1);
    return parent.isEmpty() ? base : parent + "/" + base;
  }

  /** Where {@code path} leads, links followed; throws when it leaves the root or loops. */
  String resolveFully(String path) throws Escape {
    return resolve("", path, true);
  }

  /**
   * Resolves {@code path} relative to the directory {@code from} (itself resolved already),
   * following links; {@code followLast} follows a link in the last component too.
   */
  private String resolve(String from, String path, boolean followLast) throws Escape {
    Deque<String> done = new ArrayDeque<>();
    if (!from.isEmpty()) {
      done.addAll(List.of(from.split("/")));
    }
    Deque<String> todo = new ArrayDeque<>();
    for (String p : path.split("/+")) {
      if (!p.isEmpty() && !p.equals(".")) {
        todo.addLast(p);
      }
    }
    int hops = 0;
    while (!todo.isEmpty()) {
      String part = todo.removeFirst();
      if (part.equals("..")) {
        if (done.isEmpty()) {
          throw new Escape("it leads outside the directory it is unpacked into");
        }
        done.removeLast();
        continue;
      }
      done.addLast(part);
      String current = String.join("/", done);
      String target = links.get(current);
      if (target == null || (todo.isEmpty() && !followLast)) {
        continue;
      }
      if (++hops > MAX_HOPS) {
        // A loop leads nowhere (the kernel answers ELOOP), so not outside either.
        return current;
      }
      if (target.startsWith("/")) {
        throw new Escape("it passes through " + current + ", a link to the absolute path " + target);
      }
      done.removeLast();
      String[] parts = target.split("/+");
      for (int i = parts.length - 1; i >= 0; i--) {
        if (!parts[i].isEmpty() && !parts[i].equals(".")) {
          todo.addFirst(parts[i]);
        }
      }
    }
    return String.join("/", done);
  }

  private static String parent(String name) {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? "" : name.substring(0, slash);
  }
}
