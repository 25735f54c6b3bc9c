package io.s2i.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The docker CLI, used by tests to look at what a build left on the engine independently of the
 * engine adapter under test.
 */
final class Docker {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Docker() {}

  record Result(int exitCode, String stdout, String stderr) {}

  static Result run(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("docker");
    cmd.addAll(Arrays.asList(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      var out = p.getInputStream().readAllBytes();
      var err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("docker " + String.join(" ", args) + " timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static boolean available() {
    try {
      return run("info", "--format", "{{.ServerVersion}}").exitCode() == 0;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  static boolean imageExists(String ref) {
    return run("image", "inspect", ref).exitCode() == 0;
  }

  /** The image's inspect document. */
  static JsonNode inspectImage(String ref) {
    Result r = run("image", "inspect", ref);
    if (r.exitCode() != 0) {
      throw new AssertionError("image " + ref + " does not exist: " + r.stderr());
    }
    try {
      return JSON.readTree(r.stdout()).get(0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code sh -c script} in the image with no network; returns stdout. */
  static Result sh(String image, String script) {
    return run("run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", image, "-c", script);
  }

  /** Runs the image with its own command. */
  static Result runImage(String image) {
    return run("run", "--rm", "--network", "none", image);
  }

  static List<String> containerIds() {
    String out = run("ps", "-aq", "--no-trunc").stdout().strip();
    return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
  }

  /** Names of the volumes s2i made for builds (see the Docker engine's DockerContainerRunner). */
  static List<String> s2iVolumes() {
    return run("volume", "ls", "-q", "--filter", "label=io.s2i.java.owner").stdout().lines()
        .filter(l -> !l.isBlank()).toList();
  }

  static List<String> danglingImages() {
    String out = run("images", "-q", "--no-trunc", "-f", "dangling=true").stdout().strip();
    return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
  }

  /** The entry names of the image's top layer, as {@code docker save} writes it. */
  static List<String> topLayerEntries(String ref) throws IOException {
    java.nio.file.Path saved = java.nio.file.Files.createTempFile("s2i-it-save", ".tar");
    try {
      Result r = run("save", "-o", saved.toString(), ref);
      if (r.exitCode() != 0) {
        throw new AssertionError("docker save " + ref + " failed: " + r.stderr());
      }
      String top = null;
      try (var in = new TarArchiveInputStream(java.nio.file.Files.newInputStream(saved))) {
        for (var e = in.getNextEntry(); e != null && top == null; e = in.getNextEntry()) {
          if (e.getName().equals("manifest.json")) {
            JsonNode layers = JSON.readTree(in.readAllBytes()).get(0).get("Layers");
            top = layers.get(layers.size() - 1).asText();
          }
        }
      }
      try (var in = new TarArchiveInputStream(java.nio.file.Files.newInputStream(saved))) {
        for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
          if (e.getName().equals(top)) {
            List<String> names = new ArrayList<>();
            var layer = new TarArchiveInputStream(in);
            for (var l = layer.getNextEntry(); l != null; l = layer.getNextEntry()) {
              names.add(l.getName());
            }
            return names;
          }
        }
      }
      throw new AssertionError("no top layer " + top + " in the saved " + ref);
    } finally {
      java.nio.file.Files.deleteIfExists(saved);
    }
  }

  static void removeImage(String ref) {
    run("rmi", "-f", ref);
  }
}
