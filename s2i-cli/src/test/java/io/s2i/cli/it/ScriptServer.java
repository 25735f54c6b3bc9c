package io.s2i.cli.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Serves a scripts directory over HTTP on 127.0.0.1, recording the paths asked for. */
final class ScriptServer implements AutoCloseable {
  private final HttpServer server;
  private final List<String> requested = new CopyOnWriteArrayList<>();

  private ScriptServer(HttpServer server) {
    this.server = server;
  }

  static ScriptServer serve(Path dir) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ScriptServer s = new ScriptServer(http);
    http.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      s.requested.add(path.substring(path.lastIndexOf('/')));
      Path file = dir.resolve(path.substring(path.lastIndexOf('/') + 1));
      if (Files.isRegularFile(file)) {
        byte[] body = Files.readAllBytes(file);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body);
        }
      } else {
        ex.sendResponseHeaders(404, -1);
      }
      ex.close();
    });
    http.start();
    return s;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/scripts";
  }

  List<String> requested() {
    return requested;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
