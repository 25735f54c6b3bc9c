package io.s2i.engine.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A container's stdin attached over TCP, with TLS when the connection uses it: the input goes in
 * 64 KiB writes and the connection is half-closed at its end, which the daemon passes on as end
 * of file, as {@link UnixStdinAttach} does on a unix socket.
 *
 * <p>Why not docker-java's hijacking: it never half-closes, so the end of the input can only be
 * told by closing the whole connection, and over TLS that close lost the input's tail: the daemon
 * had read 116 KiB of a 3 MiB archive when the client's close (with the daemon's post-handshake
 * TLS messages still unread) reset the connection ({@code DockerTlsEngineContractIT} shows it).
 * It also writes 1 KiB at a time.
 */
final class TcpStdinAttach implements StdinConnection {
  private static final int CHUNK = 64 * 1024;
  private final Socket socket;
  /** The TCP socket beneath (the same as {@code socket} without TLS). */
  private final Socket plain;

  private TcpStdinAttach(Socket socket, Socket plain) {
    this.socket = socket;
    this.plain = plain;
  }

  /**
   * Attaches to the stdin of {@code containerId} at {@code endpoint} ({@code tcp://HOST:PORT});
   * the connection and the daemon's answer take at most {@code timeout} each.
   */
  static TcpStdinAttach open(URI endpoint, Optional<DockerConnection.Tls> tls, String pathPrefix, String containerId,
      Duration timeout) throws IOException {
    String what = "the attach to the stdin of container " + containerId;
    Socket plain = new Socket();
    Socket socket = plain;
    try {
      plain.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), (int) timeout.toMillis());
      if (tls.isPresent()) {
        SSLSocket secure = (SSLSocket) tls.get().context().getSocketFactory()
            .createSocket(plain, endpoint.getHost(), endpoint.getPort(), true);
        if (tls.get().verifyHost()) {
          SSLParameters parameters = secure.getSSLParameters();
          parameters.setEndpointIdentificationAlgorithm("HTTPS");
          secure.setSSLParameters(parameters);
        }
        socket = secure;
      }
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + pathPrefix + "/containers/" + containerId
          + "/attach?stream=1&stdin=1&stdout=0&stderr=0 HTTP/1.1\r\nHost: docker\r\n"
          + "Content-Type: text/plain\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      // Unbuffered: nothing after the header may be read away (the daemon sends nothing more).
      InputStream in = socket.getInputStream();
      int status = UnixHttp.status(UnixHttp.readHeader(in, what), what);
      // 101 when the daemon honours the upgrade; older ones answer 200 and hijack all the same.
      if (status != 101 && status != 200) {
        throw new IOException("the daemon answered HTTP " + status + " to " + what);
      }
      socket.setSoTimeout(0);
      return new TcpStdinAttach(socket, plain);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  @Override
  public void pump(InputStream in) throws IOException {
    OutputStream out = socket.getOutputStream();
    byte[] buffer = new byte[CHUNK];
    int n;
    while ((n = in.read(buffer, 0, CHUNK)) >= 0) {
      out.write(buffer, 0, n);
    }
    out.flush();
    // TLS 1.3 half-closes with close_notify; the daemon reads it as the end of the input.
    socket.shutdownOutput();
  }

  /**
   * Closes the TCP socket itself, not the TLS layer: that would first send a close_notify, which
   * waits for the pump's write to finish, and a container that stopped reading never lets it.
   */
  @Override
  public void close() {
    try {
      plain.close();
    } catch (IOException ignored) {
      // the daemon's side is gone already
    }
  }
}
