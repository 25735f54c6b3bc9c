package io.s2i.api;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Docker image reference, validated when created. Keeps the text the user wrote and can give the
 * normalised form ({@code foo} becomes {@code docker.io/library/foo:latest}) that upstream writes
 * into the {@code build.image} label. An image source may also name a file in skopeo's transport
 * syntax ({@link #parseSource}): {@code oci:DIR[:TAG]} or {@code docker-archive:FILE}; such a
 * reference is kept as written.
 */
public final class ImageRef {
  private static final Pattern COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
              + "|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
  private static final String DEFAULT_REGISTRY = "docker.io";

  private final String original;
  private final String registry;
  private final String repository;
  private final String tag;
  private final String digest;
  private final boolean file;

  private ImageRef(String original, String registry, String repository, String tag, String digest) {
    this(original, registry, repository, tag, digest, false);
  }

  private ImageRef(String original, String registry, String repository, String tag, String digest,
      boolean file) {
    this.file = file;
    this.original = original;
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses a reference such as {@code name}, {@code host:5000/ns/name:tag} or {@code name@sha256:...}.
   *
   * @throws IllegalArgumentException whose message starts with upstream's {@code invalid reference
   *     format}
   */
  public static ImageRef parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 4096) {
      throw invalid(text, "");
    }
    String rest = text;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(text, " (bad digest)");
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(text, " (bad tag)");
      }
    }
    String registry = null;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")
          || !first.equals(first.toLowerCase(Locale.ROOT))) {
        if (!DOMAIN.matcher(first).matches()) {
          throw invalid(text, " (bad registry host)");
        }
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    if (rest.isEmpty() || rest.length() > 255) {
      throw invalid(text, "");
    }
    for (String component : rest.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        boolean upper = !component.equals(component.toLowerCase(Locale.ROOT));
        throw invalid(text, upper ? " (repository names must be lowercase)" : "");
      }
    }
    return new ImageRef(text, registry, rest, tag, digest);
  }

  /**
   * Parses an image to read from: a reference as {@link #parse} takes, or a file in skopeo's
   * transport syntax, {@code oci:DIR[:TAG]} (an OCI image layout) or {@code docker-archive:FILE}.
   */
  public static ImageRef parseSource(String text) {
    String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
    for (String transport : new String[] {"oci:", "docker-archive:"}) {
      if (lower.startsWith(transport)) {
        if (text.length() == transport.length() || text.charAt(transport.length()) == ':') {
          throw new IllegalArgumentException("\"" + text + "\" names no path: write " + transport
              + (transport.equals("oci:") ? "DIR[:TAG]" : "FILE"));
        }
        return new ImageRef(text, null, text, null, null, true);
      }
    }
    return parse(text);
  }

  /** Whether this names a file ({@code oci:} or {@code docker-archive:}) rather than an image. */
  public boolean isFile() {
    return file;
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("invalid reference format: \"" + text + "\"" + why);
  }

  /** The registry host, if the reference names one. */
  public Optional<String> registry() {
    return Optional.ofNullable(registry);
  }

  /** The repository path without registry, tag or digest. */
  public String repository() {
    return repository;
  }

  /** The tag, if one was written. */
  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /** The digest, if one was written. */
  public Optional<String> digest() {
    return Optional.ofNullable(digest);
  }

  /** The reference with {@code :latest} appended when it has neither tag nor digest. */
  public String withDefaultTag() {
    return (tag == null && digest == null && !file) ? original + ":latest" : original;
  }

  /** The reference without tag or digest: registry (if written) and repository. */
  public String name() {
    return registry == null ? repository : registry + "/" + repository;
  }

  /** The fully normalised name: registry, {@code library/} for Docker Hub, and a tag. */
  public String normalized() {
    if (file) {
      return original;
    }
    String reg = registry == null ? DEFAULT_REGISTRY : registry;
    String repo = repository;
    if (reg.equals(DEFAULT_REGISTRY) && !repo.contains("/")) {
      repo = "library/" + repo;
    }
    StringBuilder sb = new StringBuilder(reg).append('/').append(repo);
    if (tag != null || digest == null) {
      sb.append(':').append(tag == null ? "latest" : tag);
    }
    if (digest != null) {
      sb.append('@').append(digest);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return original;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageRef other && other.original.equals(original);
  }

  @Override
  public int hashCode() {
    return original.hashCode();
  }
}
