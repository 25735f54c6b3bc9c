package io.s2i.internal.registry;

import com.google.api.client.http.HttpTransport;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import java.lang.reflect.Constructor;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Makes jib's HTTP client the way the registry code needs it: without jib's own retries, and with
 * a transport of ours for registries that have a certs.d directory.
 *
 * <p><b>Why not jib's public API.</b> jib-core's only public constructor,
 * {@code FailoverHttpClient(boolean, boolean, Consumer)}, always retries a failed request up to ten
 * times with an exponential back-off (about a minute; under {@link TransferRetry} a registry that
 * is gone took minutes to report) and always builds its own TLS transport from the JVM's default
 * trust store (so certs.d CA and client certificates cannot be used short of replacing the whole
 * JVM's default SSL context, which a library must not do). Its {@code Request} and
 * {@code Response} are package-private too, so no subclass of ours can do the HTTP itself. The two
 * package-private constructors that take a retry switch and transport factories (used by jib's own
 * tests) are the only way, so they are reached reflectively, here only.
 *
 * <p><b>Pinned.</b> {@code JibHttpClientsTest} fails when a jib upgrade drops or changes them, or
 * when the jib-core version differs from {@link #WRITTEN_FOR} (read their source again, then raise
 * it). At run time a jib without them still works: its retries stay on and certs.d is not read,
 * which the debug log says.
 */
final class JibHttpClients {
  /** The jib-core version whose package-private constructors this class was checked against. */
  static final String WRITTEN_FOR = "0.27.3";
  private static final Optional<Constructor<FailoverHttpClient>> NO_RETRY = constructor(
      boolean.class, boolean.class, Consumer.class, boolean.class);
  private static final Optional<Constructor<FailoverHttpClient>> WITH_TRANSPORTS = constructor(
      boolean.class, boolean.class, Consumer.class, Supplier.class, Supplier.class, boolean.class);

  private JibHttpClients() {}

  /** Whether this jib has both constructors (else {@link #newClient} falls back to the public one). */
  static boolean internalsAvailable() {
    return NO_RETRY.isPresent() && WITH_TRANSPORTS.isPresent();
  }

  /**
   * A client without retries; {@code insecureFailover} lets it fall back to unverified TLS and
   * plain HTTP (loopback registries only); {@code transport}, when given, serves every request.
   */
  static FailoverHttpClient newClient(boolean insecureFailover, Consumer<LogEvent> log,
      Optional<Supplier<HttpTransport>> transport, Consumer<String> debug) {
    try {
      if (transport.isPresent() && WITH_TRANSPORTS.isPresent()) {
        return WITH_TRANSPORTS.get().newInstance(insecureFailover, insecureFailover, log, transport.get(),
            transport.get(), false);
      }
      if (transport.isEmpty() && NO_RETRY.isPresent()) {
        return NO_RETRY.get().newInstance(insecureFailover, insecureFailover, log, false);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      debug.accept("jib's HTTP client cannot be made without retries: " + e);
    }
    debug.accept("jib-core " + FailoverHttpClient.class.getPackage().getImplementationVersion()
        + " lacks the constructors s2i was written for (" + WRITTEN_FOR
        + "): jib retries failed requests itself and certs.d is not read");
    return new FailoverHttpClient(insecureFailover, insecureFailover, log);
  }

  private static Optional<Constructor<FailoverHttpClient>> constructor(Class<?>... parameters) {
    try {
      Constructor<FailoverHttpClient> c = FailoverHttpClient.class.getDeclaredConstructor(parameters);
      c.setAccessible(true);
      return Optional.of(c);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
