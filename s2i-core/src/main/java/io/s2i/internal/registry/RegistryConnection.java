package io.s2i.internal.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.RegistryClient;
import io.s2i.api.RegistryCredentials;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.apache.v2.ApacheHttpTransport;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;

/**
 * One authenticated jib {@link RegistryClient} for an image's repository. Plain HTTP and TLS
 * without certificate checks are allowed only for loopback registries (127.0.0.0/8,
 * {@code localhost}, {@code ::1}), as the Docker daemon allows by default; every other registry
 * must present a certificate the JVM trusts or a CA in its certs.d directory trusts
 * ({@link RegistryTrust}).
 */
final class RegistryConnection implements AutoCloseable {
  private static final String USER_AGENT = "s2i-java";
  private final ImageReference reference;
  private final FailoverHttpClient http;
  private final RegistryClient client;

  private RegistryConnection(ImageReference reference, FailoverHttpClient http, RegistryClient client) {
    this.reference = reference;
    this.http = http;
    this.client = client;
  }

  /**
   * Connects to {@code reference}'s registry and authenticates for pulling, or for pushing and
   * pulling, as the registry asks (a bearer token, or basic authentication with the credentials).
   *
   * @param debug receives jib's log lines (insecure fallbacks, authentication steps)
   */
  static RegistryConnection open(ImageReference reference, Optional<RegistryCredentials> credentials,
      boolean push, Consumer<String> debug) throws IOException, com.google.cloud.tools.jib.api.RegistryException {
    boolean loopback = isLoopback(reference.getRegistry());
    Consumer<LogEvent> log = e -> debug.accept("registry " + reference.getRegistry() + ": " + e.getMessage());
    FailoverHttpClient http = httpClient(loopback, reference.getRegistry(), log, debug);
    EventHandlers events = EventHandlers.builder().add(LogEvent.class, log).build();
    RegistryClient.Factory factory = RegistryClient.factory(events, reference.getRegistry(),
        reference.getRepository(), http).setUserAgent(USER_AGENT);
    credentials.ifPresent(c -> factory.setCredential(Credential.from(
        c.isIdentityToken() ? Credential.OAUTH2_TOKEN_USER_NAME : c.username(), c.secret())));
    RegistryClient client = factory.newRegistryClient();
    try {
      boolean bearer = push ? client.doPushBearerAuth() : client.doPullBearerAuth();
      if (!bearer && credentials.isPresent()) {
        client.configureBasicAuth();
      }
    } catch (IOException | com.google.cloud.tools.jib.api.RegistryException | RuntimeException e) {
      shutDown(http);
      throw e;
    }
    return new RegistryConnection(reference, http, client);
  }

  /**
   * jib's HTTP client, without its own retries (left to {@link TransferRetry} alone) and, for a
   * registry with files in its certs.d directory ({@link RegistryTrust}), with those CA and client
   * certificates. See {@link JibHttpClients} for why it is made through jib's internals.
   */
  private static FailoverHttpClient httpClient(boolean loopback, String registry, Consumer<LogEvent> log,
      Consumer<String> debug) throws IOException {
    // Loopback registries get unverified TLS anyway; certs.d matters for the others.
    Optional<SSLContext> tls = loopback ? Optional.empty() : RegistryTrust.fromEnvironment().sslContext(registry);
    tls.ifPresent(t -> debug.accept("registry " + registry + ": using the certificates in "
        + RegistryTrust.fromEnvironment().directory(registry)));
    Optional<Supplier<HttpTransport>> transport = tls.map(context -> () -> new ApacheHttpTransport(
        ApacheHttpTransport.newDefaultHttpClientBuilder().setSSLSocketFactory(new SSLConnectionSocketFactory(context))
            .build()));
    return JibHttpClients.newClient(loopback, log, transport, debug);
  }

  RegistryClient client() {
    return client;
  }

  ImageReference reference() {
    return reference;
  }

  /**
   * Whether {@code registry} (host with an optional port) is this machine: a name or address
   * Docker trusts without TLS by default. No name is resolved: only {@code localhost} counts.
   */
  static boolean isLoopback(String registry) {
    String host = registry.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end > 0 ? host.substring(1, end) : host;
    } else if (host.indexOf(':') == host.lastIndexOf(':')) {
      int colon = host.indexOf(':');
      host = colon >= 0 ? host.substring(0, colon) : host;
    }
    if (host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String p : parts) {
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  private static void shutDown(FailoverHttpClient http) {
    try {
      http.shutDown();
    } catch (IOException ignored) {
      // nothing is left to release that a failed shutdown could keep
    }
  }

  @Override
  public void close() {
    shutDown(http);
  }
}
