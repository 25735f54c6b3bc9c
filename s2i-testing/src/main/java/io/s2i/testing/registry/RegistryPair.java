package io.s2i.testing.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two registries the registry tests push to and pull from, both on 127.0.0.1: a plain one and
 * one with TLS (a CA made for it) and htpasswd authentication.
 */
public final class RegistryPair implements AutoCloseable {
  private final RegistryServer plain;
  private final RegistryServer secure;

  private RegistryPair(RegistryServer plain, RegistryServer secure) {
    this.plain = plain;
    this.secure = secure;
  }

  /** Starts both under {@code dir}; the secure one accepts {@code username}/{@code password}. */
  public static RegistryPair start(Path dir, String username, String password)
      throws IOException, InterruptedException {
    RegistryServer plain = RegistryServer.plain(Files.createDirectories(dir.resolve("plain")));
    try {
      return new RegistryPair(plain,
          RegistryServer.tlsWithAuth(Files.createDirectories(dir.resolve("secure")), username, password));
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        plain.close();
      } catch (IOException | InterruptedException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  public RegistryServer plain() {
    return plain;
  }

  public RegistryServer secure() {
    return secure;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      plain.close();
    } finally {
      secure.close();
    }
  }
}
