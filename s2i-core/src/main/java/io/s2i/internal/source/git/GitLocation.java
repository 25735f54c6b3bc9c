package io.s2i.internal.source.git;

import java.util.Optional;

/**
 * A source argument split into what is handed to git and the optional {@code #ref} fragment.
 *
 * @param cloneUrl what JGit clones: the URL, or the local repository's absolute path
 * @param label the {@code source-location} label value, as upstream writes it
 * @param fragment the ref written after {@code #}, if any
 */
public record GitLocation(String cloneUrl, String label, Optional<String> fragment) {

  /** Splits {@code url#ref}; the label keeps the URL as typed, credentials included, as upstream. */
  public static GitLocation remote(String typed) {
    int hash = typed.indexOf('#');
    String url = hash < 0 ? typed : typed.substring(0, hash);
    Optional<String> fragment = hash < 0 ? Optional.empty()
        : Optional.of(typed.substring(hash + 1)).filter(s -> !s.isEmpty());
    return new GitLocation(url, url, fragment);
  }

  /**
   * A local repository: upstream records a relative path with {@code ./} in front (argument
   * {@code app} gives {@code ./app}) and an absolute one as it is.
   */
  public static GitLocation local(String typed, java.nio.file.Path absolute) {
    String label = typed;
    if (!typed.startsWith("/") && !typed.startsWith("./") && !typed.startsWith("../")
        && !typed.startsWith("file://")) {
      label = "./" + typed;
    }
    while (label.length() > 1 && label.endsWith("/")) {
      label = label.substring(0, label.length() - 1);
    }
    return new GitLocation(absolute.toString(), label, Optional.empty());
  }
}
