package io.s2i.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of a loopback server that counts what it receives and answers each read with "ok". */
class FaultProxyTest {
  ServerSocket target;
  final AtomicLong received = new AtomicLong();
  FaultProxy proxy;

  @BeforeEach
  void startTarget() throws IOException {
    target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!target.isClosed()) {
        try {
          Socket s = target.accept();
          Thread h = new Thread(() -> serve(s));
          h.setDaemon(true);
          h.start();
        } catch (IOException closed) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
    proxy = FaultProxy.start(target.getLocalPort());
  }

  private void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        received.addAndGet(n);
        out.write("ok".getBytes());
      }
    } catch (IOException ignored) {
      // the proxy reset it
    }
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    target.close();
  }

  /** Sends {@code total} bytes in 8 KiB writes, reading the answers; returns what got through. */
  private static long send(Socket s, long total) throws IOException {
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    byte[] chunk = new byte[8192];
    long sent = 0;
    while (sent < total) {
      out.write(chunk);
      out.flush();
      if (in.read(new byte[2]) < 0) {
        throw new IOException("closed after " + sent);
      }
      sent += chunk.length;
    }
    return sent;
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    s.setSoTimeout(5000);
    return s;
  }

  @Test
  void forwardsBothWaysOnLoopback() throws IOException {
    assertThat(proxy.address()).isEqualTo("127.0.0.1:" + proxy.port());
    try (Socket s = connect()) {
      assertThat(send(s, 64 * 1024)).isEqualTo(64 * 1024);
    }
    assertThat(proxy.connections()).isEqualTo(1);
    assertThat(proxy.cuts()).isZero();
  }

  @Test
  void aHalfCloseReachesTheServerAndTheAnswerStillComesBack() throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write(new byte[100]);
      s.shutdownOutput();
      // The server answers what it read, then sees the end of input and closes.
      assertThat(new String(s.getInputStream().readAllBytes())).startsWith("ok");
    }
  }

  @Test
  void cutOnceAfterResetsTheUploadMidwayThenForwardsAgain() throws IOException {
    proxy.cutOnceAfter(20_000);
    try (Socket s = connect()) {
      assertThatThrownBy(() -> send(s, 1 << 20)).isInstanceOf(IOException.class);
    }
    assertThat(proxy.cuts()).isEqualTo(1);
    assertThat(received.get()).isLessThanOrEqualTo(20_000);
    try (Socket s = connect()) {
      assertThat(send(s, 1 << 20)).isEqualTo(1 << 20);
    }
    assertThat(proxy.isUp()).isTrue();
  }

  @Test
  void cutOnceAfterDownloadingCountsTheAnswersOnly() throws IOException {
    // Each 8 KiB sent is answered with 2 bytes: 1,000 bytes downstream is the 500th answer.
    proxy.cutOnceAfterDownloading(1_000);
    try (Socket s = connect()) {
      assertThatThrownBy(() -> send(s, 1 << 30)).isInstanceOf(IOException.class);
    }
    assertThat(proxy.cuts()).isEqualTo(1);
    assertThat(received.get()).isGreaterThan(1_000).isLessThan(1 << 30);
    try (Socket s = connect()) {
      assertThat(send(s, 1 << 20)).isEqualTo(1 << 20);
    }
  }

  @Test
  void dieAfterCutsThenRefusesUntilUp() throws IOException {
    proxy.dieAfter(10_000);
    try (Socket s = connect()) {
      assertThatThrownBy(() -> send(s, 1 << 20)).isInstanceOf(IOException.class);
    }
    assertThat(proxy.isUp()).isFalse();
    assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
    proxy.up();
    try (Socket s = connect()) {
      assertThat(send(s, 8192)).isEqualTo(8192);
    }
  }

  @Test
  void stallEachAfterDownloadingHoldsEachConnectionOnItsOwnUntilDown() throws IOException {
    proxy.stallEachAfterDownloading(10);
    try (Socket a = connect(); Socket b = connect()) {
      a.setSoTimeout(500);
      // One byte up is one "ok" down: five answers are the ten bytes each connection may have.
      assertThat(exchanges(a, 5)).isEqualTo(5);
      assertThat(exchanges(b, 5)).as("each connection counts its own bytes").isEqualTo(5);
      assertThatThrownBy(() -> exchanges(a, 1)).isInstanceOf(java.net.SocketTimeoutException.class);

      proxy.down();
      assertThatThrownBy(() -> {
        if (a.getInputStream().read() < 0) {
          throw new IOException("ended");
        }
      }).as("the stalled connection ends with the proxy, without the held answer").isInstanceOf(IOException.class);
    }
    assertThat(proxy.cuts()).isPositive();
  }

  /** Sends one byte {@code k} times, reading the two-byte answer each time; returns how many were answered. */
  private static int exchanges(Socket s, int k) throws IOException {
    for (int i = 0; i < k; i++) {
      s.getOutputStream().write(1);
      s.getOutputStream().flush();
      if (s.getInputStream().readNBytes(2).length < 2) {
        return i;
      }
    }
    return k;
  }

  @Test
  void resetNextResetsOnlyThatManyConnections() throws IOException {
    proxy.resetNext(2);
    for (int i = 0; i < 2; i++) {
      try (Socket s = connect()) {
        assertThatThrownBy(() -> send(s, 8192)).isInstanceOf(IOException.class);
      }
    }
    try (Socket s = connect()) {
      assertThat(send(s, 8192)).isEqualTo(8192);
    }
    assertThat(proxy.cuts()).isEqualTo(2);
    assertThat(proxy.connections()).isEqualTo(3);
  }
}
