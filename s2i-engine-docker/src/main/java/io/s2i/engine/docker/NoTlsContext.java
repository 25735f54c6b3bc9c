package io.s2i.engine.docker;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context given to docker-java's HTTP client for a unix socket, which never uses TLS.
 * Without one, the client initialises the JDK's default TLS context (its providers and the parsed
 * trust store: some 150 ms at start-up) only to never use it. Any use fails loudly.
 */
final class NoTlsContext extends SSLContext {
  NoTlsContext() {
    super(new Refusing(), null, "none");
  }

  private static final class Refusing extends SSLContextSpi {
    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException("TLS is not used on a unix socket");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
      throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }
  }
}
