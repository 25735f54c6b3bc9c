package io.s2i.internal.source;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The source argument classified as upstream does: a URL (text starting with a scheme), an
 * scp-like {@code [user@]host:path}, or a local path. {@code file://} URLs are local.
 */
public sealed interface SourceLocation {
  Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
  Pattern SCP = Pattern.compile("^(?:[^@/]+@)?[^:/]+:.*");

  /** A directory on this machine. */
  record Local(Path path, String asTyped) implements SourceLocation {}

  /** A repository elsewhere, handed to git. */
  record Remote(String url) implements SourceLocation {}

  /** Classifies the text of a source argument (without any {@code #ref} fragment). */
  static SourceLocation parse(String text) throws SourceFetchException {
    if (text.startsWith("file://")) {
      String rest = text.substring("file://".length());
      if (!rest.isEmpty() && !rest.startsWith("/")) {
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        throw new SourceFetchException(
            "file url \"" + text + "\" has non-empty host \"" + host + "\"",
            "write file:///absolute/path, or give the directory as a plain path");
      }
      return new Local(Path.of(rest.isEmpty() ? "/" : rest), text);
    }
    if (SCHEME.matcher(text).find() && !looksLikeWindowsDrive(text)) {
      return new Remote(text);
    }
    if (SCP.matcher(text).matches() && !text.startsWith("/") && !text.startsWith(".")) {
      return new Remote(text);
    }
    return new Local(Path.of(text), text);
  }

  private static boolean looksLikeWindowsDrive(String text) {
    return text.length() > 2 && Character.isLetter(text.charAt(0)) && text.charAt(1) == ':'
        && (text.charAt(2) == '\\' || text.charAt(2) == '/');
  }
}
