package io.s2i.internal.fs;

import java.util.ArrayDeque;
import java.util.Deque;

/** Paths inside containers: always forward slashes, cleaned as Go's {@code path.Join} does. */
public final class UnixPaths {
  private UnixPaths() {}

  /** Joins and cleans; the result is absolute when {@code first} is. */
  public static String join(String first, String... more) {
    StringBuilder joined = new StringBuilder(first);
    for (String m : more) {
      if (!m.isEmpty()) {
        joined.append('/').append(m);
      }
    }
    String text = joined.toString();
    Deque<String> parts = new ArrayDeque<>();
    for (String p : text.split("/+")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(p);
      }
    }
    String body = String.join("/", parts);
    if (text.startsWith("/")) {
      return "/" + body;
    }
    return body.isEmpty() ? "." : body;
  }
}
