package io.s2i.engine.docker;

import io.s2i.api.ImageRef;
import java.util.Locale;

/**
 * Sorts the daemon's registry error messages into kinds, each with the fix to suggest and whether
 * retrying can help. The daemon passes registry errors on as text, so this matches on words.
 */
final class RegistryErrors {
  private RegistryErrors() {}

  /** What went wrong with a registry. */
  enum Kind {
    UNAUTHORIZED(false),
    UNKNOWN_REPOSITORY(false),
    UNTRUSTED_CERTIFICATE(false),
    PLAIN_HTTP(false),
    UNREACHABLE(true),
    OTHER(false);

    final boolean transientFailure;

    Kind(boolean transientFailure) {
      this.transientFailure = transientFailure;
    }
  }

  static Kind classify(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("unauthorized") || m.contains("authentication required")
        || m.contains("no basic auth credentials") || m.contains("denied")
        || m.contains("incorrect username or password")) {
      return Kind.UNAUTHORIZED;
    }
    if (m.contains("x509") || m.contains("certificate")) {
      return Kind.UNTRUSTED_CERTIFICATE;
    }
    if (m.contains("server gave http response to https client")) {
      return Kind.PLAIN_HTTP;
    }
    if (m.contains("blob upload unknown") || m.contains("blob upload invalid")) {
      // The registry lost the upload session (it restarted mid-push): a new push starts a new one.
      return Kind.UNREACHABLE;
    }
    if (m.contains("name unknown") || m.contains("repository does not exist")
        || m.contains("manifest unknown") || m.contains("not found")) {
      return Kind.UNKNOWN_REPOSITORY;
    }
    if (m.contains("connection refused") || m.contains("connection reset") || m.contains("eof")
        || m.contains("timeout") || m.contains("broken pipe") || m.contains("no such host")
        || m.contains("use of closed network connection") || m.contains("connection aborted")
        || m.contains("no route to host") || m.contains("network is unreachable")
        || m.contains("503") || m.contains("502") || m.contains("500 internal")
        || m.contains("service unavailable") || m.contains("bad gateway")) {
      return Kind.UNREACHABLE;
    }
    return Kind.OTHER;
  }

  /** The registry host of a reference, as the daemon resolves it. */
  static String registryOf(String ref) {
    try {
      return ImageRef.parse(ref).registry().orElse("docker.io");
    } catch (IllegalArgumentException notAReference) {
      return "docker.io"; // where the daemon would look for a name it cannot parse either
    }
  }

  /** The repository of a reference (registry and path, no tag), for messages. */
  static String repositoryOf(String ref) {
    try {
      return ImageRef.parse(ref).name();
    } catch (IllegalArgumentException notAReference) {
      return ref;
    }
  }

  /** The fix to suggest for a failed pull or push of {@code ref}. */
  static String suggestion(Kind kind, String ref) {
    String registry = registryOf(ref);
    return switch (kind) {
      case UNAUTHORIZED -> "log in with 'docker login " + registry + "' or give the right credentials for "
          + registry + " in --dockercfg-path, $DOCKER_CONFIG/config.json or ~/.docker/config.json";
      case UNKNOWN_REPOSITORY -> "check the repository name " + repositoryOf(ref)
          + " and that it exists on " + registry;
      case UNTRUSTED_CERTIFICATE -> "put the CA certificate of " + registry
          + " in /etc/docker/certs.d/" + registry + "/ca.crt";
      case PLAIN_HTTP -> "serve " + registry + " over TLS, or list it in the daemon's insecure-registries";
      case UNREACHABLE -> "check that the registry " + registry + " is running and reachable, then retry";
      case OTHER -> "check the image name and the registry " + registry;
    };
  }
}
