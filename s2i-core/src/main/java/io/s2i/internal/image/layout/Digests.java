package io.s2i.internal.image.layout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests in the {@code sha256:<hex>} form images use. */
public final class Digests {
  private Digests() {}

  /** A fresh SHA-256 digester. */
  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The digest of some bytes. */
  public static String of(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** The digest of a file's content. */
  public static String of(Path file) throws IOException {
    MessageDigest md = sha256();
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
      in.transferTo(out);
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  /** The hex part of {@code sha256:<hex>}. */
  public static String hex(String digest) {
    return digest.substring(digest.indexOf(':') + 1);
  }

  /** The digest a {@link DigestOutputStream} made, in {@code sha256:<hex>} form. */
  static String of(MessageDigest md) {
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }
}
