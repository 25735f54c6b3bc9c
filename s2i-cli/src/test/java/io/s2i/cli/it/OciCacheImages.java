package io.s2i.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.internal.image.layout.DockerArchiveWriter;
import io.s2i.internal.image.layout.ImageArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads images out of the daemonless engine's cache for the tests' checks, which look at results
 * with the docker CLI: an image s2i built with no daemon is loaded into the Docker engine by the
 * test (never by s2i), only its own layers sent when the engine has the layers below (the fixture
 * builders it was built from).
 */
final class OciCacheImages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OciCacheImages() {}

  /**
   * {@code XDG_CACHE_HOME} of the daemonless scenarios: a cache of this checkout's test runs, apart
   * from the user's (which other builds on the machine may use meanwhile).
   */
  static final Path IT_CACHE_HOME = S2iProcess.REPO.resolve("s2i-cli/target/it-xdg-cache");

  /** The cache of the daemonless scenarios (the fixtures are pulled into it once per run). */
  static Path defaultCache() {
    return IT_CACHE_HOME.resolve("s2i-java/oci");
  }

  /** The cache an s2i process with {@code env} uses. */
  static Path cacheOf(java.util.Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    return xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache/s2i-java/oci")
        : Path.of(xdg, "s2i-java/oci");
  }

  /**
   * Makes {@code cacheHome} (an {@code XDG_CACHE_HOME}) hold image {@code ref} of the daemonless
   * scenarios' cache, as if pulled before: copies of its config and layer files (copies, so a
   * test may corrupt them) and an index naming it; cold in every other way. Returns cacheHome.
   */
  static Path seed(Path cacheHome, String ref) throws IOException {
    Path from = defaultCache();
    String id = id(from, ref).orElseThrow(() -> new AssertionError(ref + " is not in " + from));
    Path to = Files.createDirectories(cacheHome.resolve("s2i-java/oci/blobs/sha256"));
    byte[] config = Files.readAllBytes(from.resolve("blobs/sha256").resolve(id.substring(7)));
    List<String> blobs = new ArrayList<>(List.of(id));
    JSON.readTree(config).path("rootfs").path("diff_ids").forEach(d -> blobs.add(d.asText()));
    for (String b : blobs) {
      Path target = to.resolve(b.substring(7));
      if (!Files.exists(target)) {
        Files.copy(from.resolve("blobs/sha256").resolve(b.substring(7)), target);
      }
    }
    Path index = cacheHome.resolve("s2i-java/oci/index.json");
    com.fasterxml.jackson.databind.node.ObjectNode doc = Files.isRegularFile(index)
        ? (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(index.toFile()) : JSON.createObjectNode();
    doc.with("names").put(ref, id);
    Files.write(index, JSON.writeValueAsBytes(doc));
    return cacheHome;
  }

  /** The image id {@code ref} (a name or an id) has in {@code cache}, if the cache has it. */
  static Optional<String> id(Path cache, String ref) throws IOException {
    String hex = ref.startsWith("sha256:") ? ref.substring(7) : ref;
    if (hex.matches("[0-9a-f]{64}")) {
      return Files.isRegularFile(cache.resolve("blobs/sha256").resolve(hex)) ? Optional.of("sha256:" + hex)
          : Optional.empty();
    }
    Path index = cache.resolve("index.json");
    if (!Files.isRegularFile(index)) {
      return Optional.empty();
    }
    String name = ref;
    int slash = name.lastIndexOf('/');
    if (!name.contains("@") && name.indexOf(':', slash + 1) < 0) {
      name += ":latest";
    }
    JsonNode id = JSON.readTree(index.toFile()).path("names").get(name);
    return id == null || !Files.isRegularFile(cache.resolve("blobs/sha256").resolve(id.asText().substring(7)))
        ? Optional.empty() : Optional.of(id.asText());
  }

  /**
   * Makes the Docker engine have image {@code id} of {@code cache} under {@code tag} (when given).
   *
   * @return whether the image was loaded (false: the engine had it already)
   */
  static boolean intoDocker(Path cache, String id, Optional<String> tag) throws IOException {
    boolean loaded = false;
    if (!Docker.imageExists(id)) {
      byte[] config = Files.readAllBytes(cache.resolve("blobs/sha256").resolve(id.substring(7)));
      List<String> diffIds = new ArrayList<>();
      JSON.readTree(config).path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
      List<ImageArchive.Layer> layers = new ArrayList<>();
      for (String d : diffIds) {
        Path blob = cache.resolve("blobs/sha256").resolve(d.substring(7));
        layers.add(new ImageArchive.Layer(blob, d, Files.isRegularFile(blob) ? Files.size(blob) : 0));
      }
      int present = layersDockerHas(diffIds);
      Path archive = Files.createTempFile("s2i-it-load", ".tar");
      try {
        DockerArchiveWriter.write(new ImageArchive(config, layers), archive, Optional.empty(), present);
        Docker.Result r = Docker.run("load", "-q", "-i", archive.toString());
        if (r.exitCode() != 0) {
          throw new AssertionError("docker load of " + id + " from the oci cache failed: " + r.stderr());
        }
      } finally {
        Files.deleteIfExists(archive);
      }
      loaded = true;
    }
    if (tag.isPresent()) {
      Docker.Result r = Docker.run("tag", id, tag.get());
      if (r.exitCode() != 0) {
        throw new AssertionError("docker tag " + id + " " + tag.get() + " failed: " + r.stderr());
      }
    }
    return loaded;
  }

  /**
   * How many of the first layers the Docker engine has as a chain, judged by the fixture images
   * (the oci builds' images are built on them).
   */
  private static int layersDockerHas(List<String> diffIds) throws IOException {
    Docker.Result r = Docker.run("images", "--format", "{{.ID}}", "--no-trunc",
        "--filter", "reference=localhost/s2i-test/*", "--filter", "reference=localhost/s2i-example/*");
    List<String> ids = new ArrayList<>(List.of(r.stdout().strip().split("\\s+")));
    ids.removeIf(String::isBlank);
    if (ids.isEmpty()) {
      return 0;
    }
    List<String> args = new ArrayList<>(List.of("image", "inspect", "--format", "{{json .RootFS.Layers}}"));
    args.addAll(ids);
    Docker.Result inspect = Docker.run(args.toArray(String[]::new));
    int best = 0;
    for (String line : inspect.stdout().strip().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode layers = JSON.readTree(line);
      int n = 0;
      while (n < layers.size() && n < diffIds.size() && layers.get(n).asText().equals(diffIds.get(n))) {
        n++;
      }
      if (n == layers.size()) {
        best = Math.max(best, n);
      }
    }
    return best;
  }
}
