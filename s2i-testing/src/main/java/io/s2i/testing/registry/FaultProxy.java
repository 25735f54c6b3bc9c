package io.s2i.testing.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a local server (a {@link RegistryServer}) that injects the
 * network faults a registry client must survive or report: connections cut in the middle of an
 * upload, the first connections reset, the server gone. Point the client at {@link #address()}
 * instead of the server's address; by default every byte is forwarded unchanged.
 *
 * <p>Why plain sockets: the faults are at the TCP level (a reset in the middle of a blob upload,
 * a refused connection), below what an HTTP mock can express, and the proxy is a test utility of
 * a hundred lines; no library of the build does this. It listens on and connects to loopback only.
 *
 * <p>Faults, each armed by one call and reported by {@link #cuts()}:
 * <ul>
 *   <li>{@link #cutOnceAfter(long)}: once {@code n} more bytes have gone upstream (client to
 *       server, over all connections), every open connection is reset; then it forwards again, as
 *       a registry that restarted mid-push.
 *   <li>{@link #dieAfter(long)}: the same cut, then the proxy stays {@linkplain #down() down}, as
 *       a registry that died mid-push.
 *   <li>{@link #cutOnceAfterDownloading(long)} and {@link #dieAfterDownloading(long)}: the same,
 *       counting the bytes that go downstream (server to client), as a pull cut mid-blob.
 *   <li>{@link #stallEachAfterDownloading(long)}: each connection goes silent once it has sent
 *       that many bytes to the client, until the proxy goes down.
 *   <li>{@link #resetNext(int)}: the next {@code k} connections are reset as soon as they are
 *       accepted, then connections are forwarded again.
 *   <li>{@link #down()} / {@link #up()}: connections refused (the listening socket is closed, so
 *       the client sees "connection refused") and open connections reset / listening again on the
 *       same port.
 * </ul>
 */
public final class FaultProxy implements AutoCloseable {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final int targetPort;
  private final int port;
  private final Map<Socket, Socket> open = new HashMap<>(); // client to server
  private final AtomicInteger cuts = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private ServerSocket listener;
  private Thread acceptor;
  private long budget = -1; // bytes upstream before the armed cut; -1: none armed
  private boolean stayDownAfterCut;
  private boolean countDownstream; // whether the budget counts bytes to the client rather than to the server
  private int resetNext;
  private long stallEachAt = -1; // bytes to the client after which each connection goes silent; -1: none

  private FaultProxy(int targetPort, ServerSocket listener) {
    this.targetPort = targetPort;
    this.listener = listener;
    this.port = listener.getLocalPort();
  }

  /** A proxy on a free port of 127.0.0.1 forwarding to {@code 127.0.0.1:targetPort}. */
  public static FaultProxy start(int targetPort) throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(LOOPBACK, 0));
    FaultProxy proxy = new FaultProxy(targetPort, listener);
    proxy.acceptOn(listener);
    return proxy;
  }

  /** {@code 127.0.0.1:PORT}: the address to give the client. */
  public String address() {
    return LOOPBACK.getHostAddress() + ":" + port;
  }

  public int port() {
    return port;
  }

  /** Resets every open connection once {@code bytes} more bytes have been sent upstream, then forwards again. */
  public synchronized FaultProxy cutOnceAfter(long bytes) {
    return arm(bytes, false, false);
  }

  /** Resets every open connection once {@code bytes} more bytes have been sent upstream, then stays down. */
  public synchronized FaultProxy dieAfter(long bytes) {
    return arm(bytes, true, false);
  }

  /** Resets every open connection once {@code bytes} more bytes have gone to the client, then forwards again. */
  public synchronized FaultProxy cutOnceAfterDownloading(long bytes) {
    return arm(bytes, false, true);
  }

  /** Resets every open connection once {@code bytes} more bytes have gone to the client, then stays down. */
  public synchronized FaultProxy dieAfterDownloading(long bytes) {
    return arm(bytes, true, true);
  }

  private FaultProxy arm(long bytes, boolean stayDown, boolean downstream) {
    budget = bytes;
    stayDownAfterCut = stayDown;
    countDownstream = downstream;
    return this;
  }

  /**
   * Each connection that has sent {@code bytes} to the client stops forwarding (it stays open and
   * silent) until the proxy goes {@link #down()}: a large download hangs mid-blob while small ones
   * complete, whatever the order in which they run.
   */
  public synchronized FaultProxy stallEachAfterDownloading(long bytes) {
    stallEachAt = bytes;
    return this;
  }

  /** Resets the next {@code k} connections as soon as they are accepted. */
  public synchronized FaultProxy resetNext(int k) {
    resetNext = k;
    return this;
  }

  /** Stops listening (new connections are refused) and resets the open ones. */
  public void down() {
    ServerSocket closing;
    Thread accepting;
    synchronized (this) {
      closing = listener;
      accepting = acceptor;
      listener = null;
    }
    if (closing != null) {
      closeQuietly(closing);
      // The kernel keeps the port listening until the thread blocked in accept() has returned.
      try {
        accepting.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    cutAll();
    synchronized (this) {
      stallEachAt = -1; // after the cut: a stalled connection must not send the rest first
      notifyAll();
    }
  }

  /** Listens again on the same port after {@link #down()} or {@link #dieAfter(long)}. */
  public synchronized void up() throws IOException {
    if (listener == null) {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(LOOPBACK, port));
      listener = s;
      acceptOn(s);
    }
  }

  /** Whether the proxy is listening. */
  public synchronized boolean isUp() {
    return listener != null;
  }

  /** How many connections were reset by a fault so far. */
  public int cuts() {
    return cuts.get();
  }

  /** How many connections were accepted so far. */
  public int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    down();
  }

  private void acceptOn(ServerSocket s) {
    Thread t = new Thread(() -> {
      while (!s.isClosed()) {
        try {
          accepted(s.accept());
        } catch (IOException closed) {
          return;
        }
      }
    }, "fault-proxy-accept-" + port);
    t.setDaemon(true);
    t.start();
    acceptor = t;
  }

  private void accepted(Socket client) {
    connections.incrementAndGet();
    Socket server;
    synchronized (this) {
      if (resetNext > 0) {
        resetNext--;
        cuts.incrementAndGet();
        reset(client);
        return;
      }
    }
    try {
      server = new Socket(LOOPBACK, targetPort);
    } catch (IOException e) {
      reset(client); // the target is down: the client sees its connection end at once
      return;
    }
    synchronized (this) {
      open.put(client, server);
    }
    pump(client, server, true);
    pump(server, client, false);
  }

  private void pump(Socket from, Socket to, boolean upstream) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try {
        // Not closed here: closing a socket's stream closes the socket, and the other direction
        // may still be flowing; forget() closes both sockets once the exchange is over.
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        long sent = 0;
        while ((n = in.read(buf)) > 0) {
          if (!upstream) {
            int before = untilStall(sent, n);
            if (before < n) {
              out.write(buf, 0, before);
              out.flush();
              sent += before;
              if (!waitWhileStalled(to)) {
                return;
              }
              out.write(buf, before, n - before);
              sent += n - before;
              continue;
            }
            sent += n;
          }
          int allowed = take(n, upstream);
          out.write(buf, 0, allowed);
          if (allowed < n) {
            fault();
            return;
          }
        }
        to.shutdownOutput(); // pass the half-close on: HTTP clients may wait for it
      } catch (IOException ended) {
        // either side went away, or a fault reset both
      } finally {
        if (!upstream || from.isClosed()) {
          forget(upstream ? from : to, upstream ? to : from);
        }
      }
    }, "fault-proxy-" + (upstream ? "up-" : "down-") + port);
    t.setDaemon(true);
    t.start();
  }

  /** How many of the next {@code n} bytes a connection that sent {@code sent} may send before it stalls. */
  private synchronized int untilStall(long sent, int n) {
    return stallEachAt < 0 ? n : (int) Math.max(0, Math.min(n, stallEachAt - sent));
  }

  /** Blocks while the stall lasts; false once the connection was closed meanwhile. */
  private synchronized boolean waitWhileStalled(Socket to) {
    while (stallEachAt >= 0 && !to.isClosed()) {
      try {
        wait(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !to.isClosed();
  }

  /** How many of {@code n} bytes may still go this way before the armed cut. */
  private synchronized int take(int n, boolean upstream) {
    if (budget < 0 || upstream == countDownstream) {
      return n;
    }
    if (budget >= n) {
      budget -= n;
      return n;
    }
    int allowed = (int) budget;
    budget = 0;
    return allowed;
  }

  private void fault() {
    synchronized (this) {
      if (budget != 0) {
        return; // another connection's pump already cut
      }
      budget = -1;
    }
    if (stayDownAfterCut) {
      down();
    } else {
      cutAll();
    }
  }

  private synchronized void cutAll() {
    for (Map.Entry<Socket, Socket> pair : open.entrySet()) {
      cuts.incrementAndGet();
      reset(pair.getKey());
      reset(pair.getValue());
    }
    open.clear();
  }

  private synchronized void forget(Socket client, Socket server) {
    open.remove(client);
    closeQuietly(client);
    closeQuietly(server);
  }

  /** Closes with a TCP reset rather than a graceful FIN, as a crashed server or a dropped link does. */
  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (SocketException ignored) {
      // already closed
    }
    closeQuietly(s);
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }
}
