package io.s2i.internal.registry;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import io.s2i.engine.RegistryException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns what jib's registry client throws into a one-line {@link RegistryException} that names the
 * registry and the fix, and says whether retrying can help: an unreachable registry, a dropped
 * connection and 5xx answers are transient; refused credentials, an unknown repository and an
 * untrusted certificate are not.
 */
final class RegistryFailures {
  private RegistryFailures() {}

  /** What went wrong. */
  enum Kind {
    UNAUTHORIZED(false),
    UNKNOWN(false),
    UNTRUSTED_CERTIFICATE(false),
    CLIENT_CERTIFICATE(false),
    UNREACHABLE(true),
    SERVER_ERROR(true),
    UNKNOWN_HOST(false),
    OTHER(false);

    final boolean transientFailure;

    Kind(boolean transientFailure) {
      this.transientFailure = transientFailure;
    }
  }

  /**
   * The failure of {@code action} (such as "pushing app:1") against {@code registry}.
   *
   * @param repository the repository, named in the fix for an unknown one
   */
  static RegistryException of(String action, String registry, String repository, Throwable failure) {
    Throwable e = unwrap(failure);
    Kind kind = classify(e);
    String message = action + " failed: " + describe(kind, registry, e);
    return new RegistryException(message, suggestion(kind, registry, repository), kind.transientFailure, failure);
  }

  static Kind classify(Throwable e) {
    if (e instanceof RegistryUnauthorizedException || e instanceof RegistryCredentialsNotSentException) {
      return Kind.UNAUTHORIZED;
    }
    if (e instanceof ResponseException r) {
      int status = r.getStatusCode();
      if (status == 401 || status == 403) {
        return Kind.UNAUTHORIZED;
      }
      if (status == 404) {
        return Kind.UNKNOWN;
      }
      if (status >= 500 || status == 429 || status == 408) {
        return Kind.SERVER_ERROR;
      }
      return Kind.OTHER;
    }
    if (e instanceof UnknownHostException) {
      return Kind.UNKNOWN_HOST;
    }
    if (e instanceof SSLHandshakeException && text(e).contains("certification path")) {
      return Kind.UNTRUSTED_CERTIFICATE;
    }
    // jib reports a failed handshake with a registry that must be verified as an
    // InsecureRegistryException with the SSLException as its cause.
    if ((e instanceof SSLException || e instanceof InsecureRegistryException)
        && (text(e).contains("bad_certificate") || text(e).contains("certificate_required"))) {
      return Kind.CLIENT_CERTIFICATE; // the registry refused our (missing) client certificate
    }
    if (e instanceof InsecureRegistryException || e instanceof javax.net.ssl.SSLPeerUnverifiedException) {
      return Kind.UNTRUSTED_CERTIFICATE; // no trusted chain, or a certificate for another name
    }
    if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof SocketException
        || e instanceof SocketTimeoutException || e instanceof java.io.InterruptedIOException
        || e instanceof SSLException
        || e.getClass().getName().endsWith("NoHttpResponseException")
        // Apache HttpCore's words for a body cut short: the connection ended mid-blob.
        || e.getClass().getName().endsWith("ConnectionClosedException")
        || e.getClass().getName().endsWith("TruncatedChunkException")
        || e.getClass().getName().endsWith("MalformedChunkCodingException")
        || e instanceof java.io.EOFException) {
      return Kind.UNREACHABLE;
    }
    String m = text(e);
    if (m.contains("unauthorized") || m.contains("denied")) {
      return Kind.UNAUTHORIZED;
    }
    if (m.contains("name unknown") || m.contains("name_unknown") || m.contains("manifest unknown")
        || m.contains("manifest_unknown") || m.contains("not known to registry")) {
      return Kind.UNKNOWN;
    }
    return Kind.OTHER;
  }

  private static String describe(Kind kind, String registry, Throwable e) {
    return switch (kind) {
      case UNAUTHORIZED -> registry + " refused the credentials (unauthorized)";
      case UNKNOWN -> registry + " has no such repository or tag (" + oneLine(e) + ")";
      case UNTRUSTED_CERTIFICATE -> registry + " presented a certificate that is not trusted ("
          + oneLine(e instanceof InsecureRegistryException && e.getCause() != null ? e.getCause() : e) + ")";
      case CLIENT_CERTIFICATE -> registry + " refused the TLS connection without a client certificate it trusts ("
          + oneLine(e instanceof InsecureRegistryException && e.getCause() != null ? e.getCause() : e) + ")";
      case UNREACHABLE -> registry + " cannot be reached (" + oneLine(e) + ")";
      case SERVER_ERROR -> registry + " answered with an error (" + oneLine(e) + ")";
      case UNKNOWN_HOST -> "no such host " + registry;
      case OTHER -> oneLine(e);
    };
  }

  static String suggestion(Kind kind, String registry, String repository) {
    return switch (kind) {
      case UNAUTHORIZED -> "log in with 'docker login " + registry + "' or give the right credentials for "
          + registry + " in --dockercfg-path, $DOCKER_CONFIG/config.json or ~/.docker/config.json";
      case UNKNOWN -> "check the repository name " + repository + " and that it exists on " + registry;
      case UNTRUSTED_CERTIFICATE -> "put the CA certificate of " + registry + " in "
          + RegistryTrust.fromEnvironment().directory(registry).resolve("ca.crt")
          + " (as for Docker), or add it to the system's ca-certificates";
      case CLIENT_CERTIFICATE -> "put the client certificate for " + registry + " and its key in "
          + RegistryTrust.fromEnvironment().directory(registry) + " as client.cert and client.key";
      case UNREACHABLE, SERVER_ERROR -> "check that the registry " + registry + " is running and reachable, then retry";
      case UNKNOWN_HOST -> "check the registry name " + registry + " in the image reference";
      case OTHER -> "check the image name and the registry " + registry;
    };
  }

  /** The jib exception a pulled blob's stream wraps in an {@link IOException}. */
  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t.getClass() == IOException.class && t.getCause() != null) {
      t = t.getCause();
    }
    // jib wraps connection failures in its own RegistryException subclasses; the cause says more.
    while (t instanceof com.google.cloud.tools.jib.api.RegistryException && !(t instanceof RegistryUnauthorizedException)
        && !(t instanceof RegistryCredentialsNotSentException) && !(t instanceof InsecureRegistryException)
        && t.getCause() instanceof IOException) {
      t = t.getCause();
    }
    return t;
  }

  private static String text(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      b.append(t.getMessage()).append(' ');
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof ResponseException r) {
      m = "HTTP " + r.getStatusCode() + (r.getContent() == null || r.getContent().isBlank() ? "" : " " + r.getContent());
    }
    m = m.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}
