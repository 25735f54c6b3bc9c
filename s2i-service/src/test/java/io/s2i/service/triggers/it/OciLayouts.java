package io.s2i.service.triggers.it;

import io.s2i.testing.engine.TestArchives;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Tiny OCI image layouts written by the test, pushed to registries with skopeo. */
final class OciLayouts {
  private OciLayouts() {}

  /** An OCI layout at {@code dir} holding one image (tag {@code latest}) with one small layer of {@code marker}. */
  static Path write(Path dir, String marker) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    TestArchives.files(Map.of("s2i-it/marker", marker)).writeTo(tar);
    String layer = blob(dir, tar.toByteArray());
    String config = blob(dir, ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"s2i.it\":\""
        + marker + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layer + "\"]}}").getBytes(StandardCharsets.UTF_8));
    byte[] configBytes = Files.readAllBytes(dir.resolve("blobs/sha256/" + config.substring(7)));
    byte[] manifestBytes = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":"
        + configBytes.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
        + layer + "\",\"size\":" + tar.size() + "}]}").getBytes(StandardCharsets.UTF_8);
    String manifest = blob(dir, manifestBytes);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifest + "\",\"size\":" + manifestBytes.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}");
    return dir;
  }

  private static String blob(Path dir, byte[] data) throws IOException {
    try {
      String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
      Files.write(dir.resolve("blobs/sha256/" + hex), data);
      return "sha256:" + hex;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command, failing with its output unless it exits 0 within a minute; gives its output. */
  static String run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8).strip();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted: " + String.join(" ", command));
    }
  }

  static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}
