package io.s2i.cli.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the callback requests a build sends, on 127.0.0.1. */
final class CallbackServer implements AutoCloseable {
  private final HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();

  private CallbackServer(HttpServer server) {
    this.server = server;
  }

  static CallbackServer start() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    CallbackServer s = new CallbackServer(http);
    http.createContext("/", ex -> {
      s.bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      s.contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    http.start();
    return s;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
  }

  List<String> bodies() {
    return bodies;
  }

  List<String> contentTypes() {
    return contentTypes;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
