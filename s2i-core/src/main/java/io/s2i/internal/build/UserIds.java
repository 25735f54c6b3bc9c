package io.s2i.internal.build;

import io.s2i.engine.ContainerHandle;
import io.s2i.engine.EngineException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The numeric uid and gid of a container user spec ({@code 1001}, {@code 1001:0}, {@code default}),
 * for files the engine unpacks on the user's behalf. Named users are looked up in the
 * container's {@code /etc/passwd}, read through the engine (the image may lack every tool).
 *
 * @param uid the user id
 * @param gid the group id
 */
public record UserIds(long uid, long gid) {
  static final UserIds ROOT = new UserIds(0, 0);

  /** Resolves {@code user} in {@code container}; unknown names fall back to root. */
  public static UserIds resolve(String user, ContainerHandle container) throws EngineException {
    if (user == null || user.isEmpty()) {
      return ROOT;
    }
    String name = user;
    String group = null;
    int colon = user.indexOf(':');
    if (colon >= 0) {
      name = user.substring(0, colon);
      group = user.substring(colon + 1);
    }
    Long uid = number(name);
    Long gid = group == null ? null : number(group);
    if (uid != null && (group == null || gid != null)) {
      return new UserIds(uid, gid == null ? 0 : gid);
    }
    for (String line : passwd(container).split("\n")) {
      String[] f = line.split(":");
      if (f.length >= 4 && (f[0].equals(name) || f[2].equals(name))) {
        long u = Long.parseLong(f[2]);
        return new UserIds(u, gid != null ? gid : Long.parseLong(f[3]));
      }
    }
    return new UserIds(uid == null ? 0 : uid, gid == null ? 0 : gid);
  }

  private static Long number(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String passwd(ContainerHandle container) throws EngineException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    if (!container.copyOut("/etc/passwd", tar)) {
      return "";
    }
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar.toByteArray()))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (e.isFile()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      return "";
    }
    return "";
  }
}
