package io.s2i.service.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.s2i.service.model.ServiceJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The client commands' configuration file ({@code $XDG_CONFIG_HOME/s2i/client.yaml}, else
 * {@code ~/.config/s2i/client.yaml}): the server's URL and its token, mode 0600. Written by
 * {@code s2i serve} and {@code s2i login}, read by {@code start-build}, {@code logs} and the rest.
 *
 * @param server the server's base URL
 * @param token the bearer token
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientConfig(String server, String token) {

  /** Where the file is, for this environment ({@code S2I_CLIENT_CONFIG} names another). */
  public static Path defaultPath(Map<String, String> env) {
    String explicit = env.get("S2I_CLIENT_CONFIG");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("s2i").resolve("client.yaml");
  }

  /** Reads the file; empty when it does not exist. */
  public static Optional<ClientConfig> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(ServiceJson.yaml().readValue(file.toFile(), ClientConfig.class));
  }

  /** Writes the file with mode 0600. */
  public void write(Path file) throws IOException {
    TokenStore.writePrivate(file, ServiceJson.yaml().writeValueAsString(this));
  }
}
