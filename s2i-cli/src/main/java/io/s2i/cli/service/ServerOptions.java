package io.s2i.cli.service;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.service.auth.ClientConfig;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the client commands find the server: {@code --server}/{@code --token}, else
 * {@code S2I_SERVER}/{@code S2I_TOKEN}, else the client configuration file that {@code s2i serve}
 * and {@code s2i login} write.
 */
public final class ServerOptions {
  @Option(names = "--server", paramLabel = "URL", description = "The s2i server; default: $S2I_SERVER, else the client config (s2i login).")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", description = "The API token; default: $S2I_TOKEN, else the client config.")
  String token;

  ServiceClient client() throws S2iException {
    Optional<ClientConfig> file;
    try {
      file = ClientConfig.read(ClientConfig.defaultPath(System.getenv()));
    } catch (IOException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "the client config "
          + ClientConfig.defaultPath(System.getenv()) + " is unreadable: " + e.getMessage(),
          "run s2i login again");
    }
    String url = first(server, System.getenv("S2I_SERVER"), file.map(ClientConfig::server).orElse(null),
        "http://127.0.0.1:8080");
    String tok = first(token, System.getenv("S2I_TOKEN"), file.map(ClientConfig::token).orElse(null), null);
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "--server " + url + " is not an http:// or https:// URL",
          "write it as http://HOST:PORT");
    }
    return new ServiceClient(url, tok);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
