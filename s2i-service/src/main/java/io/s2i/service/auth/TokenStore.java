package io.s2i.service.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The API's bearer token: made at first start, kept in a file only its owner can read (0600),
 * compared in constant time, and replaced by {@link #rotate}.
 */
public final class TokenStore {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path file;
  private volatile byte[] token;

  private TokenStore(Path file, String token) {
    this.file = file;
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** The token in {@code file}, made (and written with mode 0600) when the file does not exist. */
  public static TokenStore open(Path file) throws IOException {
    if (Files.exists(file)) {
      String t = Files.readString(file).strip();
      if (t.length() >= 32) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return new TokenStore(file, t);
      }
    }
    TokenStore store = new TokenStore(file, "");
    store.rotate();
    return store;
  }

  /** Makes a new token, writes it, and returns it; the old one stops working. */
  public synchronized String rotate() throws IOException {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String t = "s2i_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    writePrivate(file, t + "\n");
    token = t.getBytes(StandardCharsets.UTF_8);
    return t;
  }

  /** The current token. */
  public String current() {
    return new String(token, StandardCharsets.UTF_8);
  }

  /** Whether {@code presented} is the token (constant time). */
  public boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token);
  }

  /** Writes {@code text} to {@code target} with mode 0600 from the start (no moment it is readable). */
  public static void writePrivate(Path target, String text) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, text);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
