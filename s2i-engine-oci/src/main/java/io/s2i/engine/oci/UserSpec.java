package io.s2i.engine.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The uid, gid and supplementary groups of a Docker {@code USER} value ({@code name},
 * {@code uid}, {@code name:group}, {@code uid:gid}), looked up in the container's
 * {@code /etc/passwd} and {@code /etc/group} as Docker does.
 */
record UserSpec(int uid, int gid, List<Integer> additionalGids, String home) {

  static UserSpec resolve(Path rootfs, String user) throws IOException {
    String u = user == null || user.isBlank() ? "0" : user.trim();
    String name = u;
    Optional<String> group = Optional.empty();
    int colon = u.indexOf(':');
    if (colon >= 0) {
      name = u.substring(0, colon);
      group = Optional.of(u.substring(colon + 1));
    }
    List<String[]> passwd = read(rootfs, "/etc/passwd");
    List<String[]> groups = read(rootfs, "/etc/group");
    String[] entry = null;
    for (String[] p : passwd) {
      if (p.length >= 4 && (p[0].equals(name) || p[2].equals(name))) {
        entry = p;
        break;
      }
    }
    int uid;
    int gid;
    String home = "/";
    String userName = null;
    if (entry != null) {
      uid = Integer.parseInt(entry[2]);
      gid = Integer.parseInt(entry[3]);
      home = entry.length > 5 && !entry[5].isEmpty() ? entry[5] : "/";
      userName = entry[0];
    } else if (name.matches("\\d+")) {
      uid = Integer.parseInt(name);
      gid = 0;
    } else {
      throw new IOException("unable to find user " + name + ": no matching entries in the image's /etc/passwd");
    }
    if (group.isPresent()) {
      String g = group.get();
      Integer found = null;
      for (String[] gr : groups) {
        if (gr.length >= 3 && (gr[0].equals(g) || gr[2].equals(g))) {
          found = Integer.parseInt(gr[2]);
          break;
        }
      }
      if (found == null && !g.matches("\\d+")) {
        throw new IOException("unable to find group " + g + ": no matching entries in the image's /etc/group");
      }
      gid = found != null ? found : Integer.parseInt(g);
    }
    List<Integer> extra = new ArrayList<>();
    if (userName != null) {
      for (String[] gr : groups) {
        if (gr.length >= 4 && List.of(gr[3].split(",")).contains(userName)) {
          int id = Integer.parseInt(gr[2]);
          if (id != gid && !extra.contains(id)) {
            extra.add(id);
          }
        }
      }
    }
    return new UserSpec(uid, gid, extra, home);
  }

  private static List<String[]> read(Path rootfs, String file) throws IOException {
    Path p = RootfsPaths.resolve(rootfs, file);
    List<String[]> out = new ArrayList<>();
    if (Files.isRegularFile(p)) {
      for (String line : Files.readAllLines(p)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.split(":", -1));
        }
      }
    }
    return out;
  }
}
