package io.s2i.engine.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves a path inside a container's root file system as the container would see it: symbolic
 * links are followed relative to the root, never out of it (like chroot).
 */
final class RootfsPaths {
  private RootfsPaths() {}

  static Path resolve(Path root, String path) throws IOException {
    return resolve(root, path, 0);
  }

  private static Path resolve(Path root, String path, int depth) throws IOException {
    if (depth > 40) {
      throw new IOException("too many levels of symbolic links in " + path);
    }
    Path current = root;
    String[] parts = path.split("/");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        current = current.equals(root) ? root : current.getParent();
        continue;
      }
      Path next = current.resolve(part);
      if (Files.isSymbolicLink(next)) {
        String target = Files.readSymbolicLink(next).toString();
        String rest = String.join("/", java.util.Arrays.copyOfRange(parts, i + 1, parts.length));
        String base = target.startsWith("/") ? "" : "/" + root.relativize(current);
        return resolve(root, base + "/" + target + "/" + rest, depth + 1);
      }
      current = next;
    }
    return current;
  }

  static boolean exists(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }
}
