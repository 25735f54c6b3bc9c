package io.s2i.internal.fs;

import java.util.ArrayDeque;
import java.util.Deque;

/** Paths inside containers: always forward slashes, cleaned as Go's {@code path.Join} does. */
public final class UnixPaths {
  private UnixPaths() {}

  /** Joins and cleans; the result is absolute when {@code first} is. */
  public static String join(String first, String... more) {
    // Like Go's path.Join: empty elements are ignored (so "" + "x" stays relative).
    StringBuilder joined = new StringBuilder(first);
    for (String m : more) {
      if (!m.isEmpty()) {
        if (joined.length() > 0) {
          joined.append('/');
        }
        joined.append(m);
      }
    }
    String text = joined.toString();
    boolean rooted = text.startsWith("/");
    Deque<String> parts = new ArrayDeque<>();
    for (String p : text.split("/+")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
          parts.pollLast();
        } else if (!rooted) {
          parts.addLast(p); // a relative path keeps leading ".." elements
        }
      } else {
        parts.addLast(p);
      }
    }
    String body = String.join("/", parts);
    if (rooted) {
      return "/" + body;
    }
    return body.isEmpty() ? "." : body;
  }
}
