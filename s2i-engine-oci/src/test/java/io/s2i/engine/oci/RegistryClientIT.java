package io.s2i.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.api.RegistryCredentials;
import io.s2i.engine.RegistryException;
import io.s2i.engine.TransferListener;
import io.s2i.internal.image.layout.Digests;
import io.s2i.internal.image.layout.ImageArchive;
import io.s2i.internal.registry.CompressedLayerMemo;
import io.s2i.internal.registry.RegistryPuller;
import io.s2i.internal.registry.RegistryPusher;
import io.s2i.internal.registry.TransferRetry;
import io.s2i.testing.registry.FaultProxy;
import io.s2i.testing.engine.EngineAvailability;
import io.s2i.testing.registry.RegistryPair;
import io.s2i.testing.registry.RegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client ({@link RegistryPuller}, {@link RegistryPusher}) against real registries:
 * Debian's docker-registry on 127.0.0.1, plain and with TLS and htpasswd, seeded with the fixture
 * builder by skopeo from the Docker daemon.
 */
class RegistryClientIT {
  private static final String BUILDER = "localhost/s2i-test/builder:latest";
  private static final String BASE = "localhost/s2i-test/base:latest";
  private static final String USER = "s2i";
  private static final String PASSWORD = "pw-" + UUID.randomUUID().toString().substring(0, 8);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  static RegistryPair registryPair;
  static RegistryServer plain;
  static RegistryServer secure;
  @TempDir Path tmp;

  @BeforeAll
  static void startRegistries() throws Exception {
    EngineAvailability.requireOrSkip(
        RegistryServer.available() && EngineAvailability.onPath("skopeo") && imageInDaemon(BUILDER) && imageInDaemon(BASE),
        "RegistryClientIT needs docker-registry, openssl, htpasswd, curl, skopeo and " + BUILDER);
    registryPair = RegistryPair.start(shared, USER, PASSWORD);
    plain = registryPair.plain();
    secure = registryPair.secure();
    skopeo("copy", "--dest-tls-verify=false", "docker-daemon:" + BUILDER,
        "docker://" + plain.address() + "/s2i-test/builder:latest");
    skopeo("copy", "--dest-tls-verify=false", "--dest-creds", USER + ":" + PASSWORD, "docker-daemon:" + BUILDER,
        "docker://" + secure.address() + "/s2i-test/builder:latest");
  }

  @AfterAll
  static void stopRegistries() throws Exception {
    if (registryPair != null) {
      registryPair.close();
    }
  }

  /** Records every progress call. */
  static class Recorder implements TransferListener {
    final List<String> statuses = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void layer(String layer, String status, long current, long total, boolean done) {
      statuses.add(status);
    }
  }

  @Test
  void pullsLayersVerifiedAndSkipsTheOnesTheCallerHas() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("w1"));
    Recorder first = new Recorder();
    List<String> keptOnce = Collections.synchronizedList(new ArrayList<>());
    RegistryPuller.LayerSink counting = (tar, diffId) -> {
      keptOnce.add(diffId);
      return tar;
    };
    ImageArchive image = new RegistryPuller(line -> {}).pull(plain.address() + "/s2i-test/builder:latest",
        Optional.empty(), work, d -> Optional.empty(), counting, first);

    assertThat(image.id()).isEqualTo(daemonImageId(BUILDER));
    // The fixture builder holds one layer twice (two steps that made the same change): fetched once.
    List<String> diffIds = image.layers().stream().map(ImageArchive.Layer::diffId).toList();
    assertThat(diffIds.stream().distinct().count()).as("the fixture repeats a layer").isLessThan(diffIds.size());
    assertThat(keptOnce).containsExactlyInAnyOrderElementsOf(diffIds.stream().distinct().toList());
    for (ImageArchive.Layer layer : image.layers()) {
      assertThat(Digests.of(layer.file())).isEqualTo(layer.diffId());
    }
    assertThat(first.statuses).contains("Downloading", "Pull complete").doesNotContain("Already exists");

    Map<String, Path> have = new ConcurrentHashMap<>();
    image.layers().forEach(l -> have.put(l.diffId(), l.file()));
    Path work2 = Files.createDirectories(tmp.resolve("w2"));
    Recorder second = new Recorder();
    ImageArchive again = new RegistryPuller(line -> {}).pull(plain.address() + "/s2i-test/builder:latest",
        Optional.empty(), work2, d -> Optional.ofNullable(have.get(d)), second);
    assertThat(again.id()).isEqualTo(image.id());
    assertThat(second.statuses).containsOnly("Already exists");
    assertThat(list(work2)).as("nothing fetched").isEmpty();
  }

  @Test
  void aPullCutMidBlobResumesAndLayersVerifiedBeforeARegistryDiedAreKept() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(plain.port())) {
      String ref = proxy.address() + "/s2i-test/builder:latest";
      Map<String, Path> kept = new ConcurrentHashMap<>();
      Path store = Files.createDirectories(tmp.resolve("store"));
      RegistryPuller.LayerSink sink = (tar, diffId) -> {
        Path to = store.resolve(diffId.substring(7));
        Files.move(tar, to);
        kept.put(diffId, to);
        return to;
      };
      List<String> retries = Collections.synchronizedList(new ArrayList<>());
      Recorder progress = new Recorder() {
        @Override
        public void retrying(String part, String failure, long delaySeconds) {
          retries.add(part + ": " + failure);
        }
      };
      RegistryPuller puller = new RegistryPuller(new TransferRetry(3, Duration.ZERO), line -> {});

      // The registry dies inside the base layer once the small layers are verified (they download
      // side by side with it, so the base's connection is held mid-blob until then): they are kept.
      List<String> diffIds = daemonDiffIds(BUILDER);
      long small = diffIds.stream().skip(1).filter(d -> !d.equals(diffIds.get(0))).distinct().count();
      proxy.stallEachAfterDownloading(4 << 20);
      Path work = Files.createDirectories(tmp.resolve("w1"));
      java.util.concurrent.CompletableFuture<ImageArchive> dying = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> {
            try {
              return puller.pull(ref, Optional.empty(), work, d -> Optional.empty(), sink, progress);
            } catch (Exception e) {
              throw new java.util.concurrent.CompletionException(e);
            }
          });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (kept.size() < small && !dying.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(kept).as("the small layers were verified while the base layer hung").hasSize((int) small);
      proxy.down();
      assertThatThrownBy(() -> dying.get(60, TimeUnit.SECONDS)).cause()
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.transientFailure()).isTrue())
          .hasMessageContaining("gave up after 3 attempts");
      // The base layer's fetch retried on its own (two retries for three attempts), then gave up.
      Map<String, Long> retriesPerPart = retries.stream().collect(java.util.stream.Collectors.groupingBy(
          r -> r.substring(0, r.indexOf(':')), java.util.stream.Collectors.counting()));
      assertThat(retries).allMatch(r -> r.contains("cannot be reached"));
      assertThat(retriesPerPart.values()).as(retries.toString()).containsExactly(2L);
      for (Map.Entry<String, Path> e : kept.entrySet()) {
        assertThat(Digests.of(e.getValue())).isEqualTo(e.getKey());
      }
      assertThat(list(work)).as("no partial blob left").isEmpty();

      // Back up, cut once more mid-blob: the pull completes, fetching only what was not kept.
      proxy.up();
      proxy.cutOnceAfterDownloading(4 << 20);
      retries.clear();
      Recorder second = progress;
      second.statuses.clear();
      java.util.Set<String> keptBefore = java.util.Set.copyOf(kept.keySet());
      ImageArchive image = puller.pull(ref, Optional.empty(), Files.createDirectories(tmp.resolve("w2")),
          d -> Optional.ofNullable(kept.get(d)), sink, second);
      assertThat(image.id()).isEqualTo(daemonImageId(BUILDER));
      assertThat(retries).isNotEmpty().allMatch(r -> r.contains("cannot be reached"));
      assertThat(second.statuses.stream().filter("Already exists"::equals).count())
          .isEqualTo(image.layers().stream().filter(l -> keptBefore.contains(l.diffId())).count());
      for (ImageArchive.Layer layer : image.layers()) {
        assertThat(Digests.of(layer.file())).isEqualTo(layer.diffId());
      }
    }
  }

  @Test
  void pullsWithBasicAuthenticationOverTls() throws Exception {
    ImageArchive image = new RegistryPuller(line -> {}).pull(secure.address() + "/s2i-test/builder:latest",
        Optional.of(new RegistryCredentials(USER, PASSWORD)), Files.createDirectories(tmp.resolve("w")),
        d -> Optional.empty(), TransferListener.none());
    assertThat(image.id()).isEqualTo(daemonImageId(BUILDER));
  }

  @Test
  void pushesTheSameDigestEveryTimeAndSkipsBlobsTheRegistryHas() throws Exception {
    ImageArchive image = new RegistryPuller(line -> {}).pull(plain.address() + "/s2i-test/builder:latest",
        Optional.empty(), Files.createDirectories(tmp.resolve("w")), d -> Optional.empty(), TransferListener.none());
    String ref = secure.address() + "/it/pushed:1";
    Optional<RegistryCredentials> creds = Optional.of(new RegistryCredentials(USER, PASSWORD));
    CompressedLayerMemo memo = CompressedLayerMemo.in(tmp.resolve("memo"));
    Path work = Files.createDirectories(tmp.resolve("push"));

    Recorder first = new Recorder();
    String digest = new RegistryPusher(memo, line -> {}).push(image, ref, creds, work, first);
    assertThat(first.statuses).contains("Pushed");
    assertThat(secure.manifestDigest("it/pushed", "1")).contains(digest);
    assertThat(list(work)).as("compressed layers removed").isEmpty();

    Recorder second = new Recorder();
    String again = new RegistryPusher(memo, line -> {}).push(image, secure.address() + "/it/pushed:2", creds, work, second);
    assertThat(again).isEqualTo(digest);
    // Another repository of the same registry: distribution links blobs per repository, so
    // only the same repository lets them be skipped.
    Recorder third = new Recorder();
    String sameRepo = new RegistryPusher(memo, line -> {}).push(image, ref, creds, work, third);
    assertThat(sameRepo).isEqualTo(digest);
    assertThat(third.statuses).containsOnly("Layer already exists");
    // Without the memo the layers are compressed again, to the same bytes.
    String noMemo = new RegistryPusher(CompressedLayerMemo.none(), line -> {}).push(image, ref, creds, work,
        TransferListener.none());
    assertThat(noMemo).isEqualTo(digest);

    JsonNode inspected = JSON.readTree(skopeo("inspect", "--tls-verify=false", "--creds", USER + ":" + PASSWORD,
        "docker://" + ref));
    assertThat(inspected.get("Digest").asText()).isEqualTo(digest);
    assertThat(inspected.get("Layers")).hasSize(image.layers().size());
  }

  @Test
  void wrongPasswordFailsAtOnceNamingTheRegistry() throws Exception {
    ImageArchive image = new RegistryPuller(line -> {}).pull(plain.address() + "/s2i-test/builder:latest",
        Optional.empty(), Files.createDirectories(tmp.resolve("w")), d -> Optional.empty(), TransferListener.none());
    String ref = secure.address() + "/it/refused:1";
    assertThatThrownBy(() -> new RegistryPusher(CompressedLayerMemo.none(), line -> {}).push(image, ref,
        Optional.of(new RegistryCredentials(USER, "wrong")), Files.createDirectories(tmp.resolve("p")),
        TransferListener.none()))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.transientFailure()).isFalse();
          assertThat(e.getMessage()).contains(secure.address()).doesNotContain("\n");
          assertThat(e.suggestion()).get().asString().contains("docker login " + secure.address());
        });
    assertThatThrownBy(() -> new RegistryPuller(line -> {}).pull(secure.address() + "/s2i-test/builder:latest",
        Optional.empty(), Files.createDirectories(tmp.resolve("anon")), d -> Optional.empty(), TransferListener.none()))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.transientFailure()).isFalse())
        .hasMessageContaining(secure.address());
    assertThat(secure.manifestDigest("it/refused", "1")).isEmpty();
  }

  @Test
  void unknownRepositoryAndStoppedRegistryAreToldApart() throws Exception {
    assertThatThrownBy(() -> new RegistryPuller(line -> {}).pull(plain.address() + "/it/no-such:1",
        Optional.empty(), Files.createDirectories(tmp.resolve("w")), d -> Optional.empty(), TransferListener.none()))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.transientFailure()).isFalse();
          assertThat(e.suggestion()).get().asString().contains("it/no-such", plain.address());
        });
    RegistryServer gone = RegistryServer.plain(Files.createDirectories(tmp.resolve("gone")));
    gone.close();
    assertThatThrownBy(() -> new RegistryPuller(line -> {}).pull(gone.address() + "/it/app:1",
        Optional.empty(), Files.createDirectories(tmp.resolve("w2")), d -> Optional.empty(), TransferListener.none()))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.transientFailure()).isTrue();
          assertThat(e.getMessage()).contains(gone.address());
          assertThat(e.suggestion()).get().asString().contains("running and reachable");
        });
  }

  @Test
  void fromAnIndexThePlatformOfThisMachineIsPulled() throws Exception {
    // An OCI layout holding two images and an index naming one linux/amd64 and one linux/riscv64,
    // pushed as an index with skopeo --all.
    Path layout = tmp.resolve("multi");
    skopeo("copy", "docker-daemon:" + BUILDER, "oci:" + layout + ":builder");
    skopeo("copy", "docker-daemon:" + BASE, "oci:" + layout + ":base");
    ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
    ObjectNode list = JSON.createObjectNode();
    list.put("schemaVersion", 2);
    list.put("mediaType", "application/vnd.oci.image.index.v1+json");
    ArrayNode entries = list.putArray("manifests");
    Map<String, String> configs = new ConcurrentHashMap<>();
    for (JsonNode m : index.get("manifests")) {
      ObjectNode e = ((ObjectNode) m).deepCopy();
      String name = e.path("annotations").path("org.opencontainers.image.ref.name").asText();
      JsonNode manifest = JSON.readTree(layout.resolve("blobs/sha256").resolve(Digests.hex(e.get("digest").asText())).toFile());
      configs.put(name, manifest.path("config").path("digest").asText());
      e.remove("annotations");
      // The builder is listed for this machine's architecture, the base for one no machine here has.
      String hostArch = io.s2i.internal.image.layout.Platforms.host()[1];
      e.putObject("platform").put("os", "linux").put("architecture", name.equals("builder") ? hostArch
          : hostArch.equals("riscv64") ? "s390x" : "riscv64");
      entries.add(e);
    }
    byte[] bytes = JSON.writeValueAsBytes(list);
    String digest = Digests.of(bytes);
    Files.write(layout.resolve("blobs/sha256").resolve(Digests.hex(digest)), bytes);
    ObjectNode top = ((ArrayNode) index.get("manifests")).addObject();
    top.put("mediaType", "application/vnd.oci.image.index.v1+json").put("digest", digest).put("size", bytes.length);
    top.putObject("annotations").put("org.opencontainers.image.ref.name", "multi");
    Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
    skopeo("copy", "--all", "--dest-tls-verify=false", "oci:" + layout + ":multi",
        "docker://" + plain.address() + "/it/multi:1");

    ImageArchive image = new RegistryPuller(line -> {}).pull(plain.address() + "/it/multi:1", Optional.empty(),
        Files.createDirectories(tmp.resolve("w")), d -> Optional.empty(), TransferListener.none());
    // skopeo wrote OCI configs into the layout: the ids are those, not the daemon's.
    assertThat(image.id()).isEqualTo(configs.get("builder")).isNotEqualTo(configs.get("base"));
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }


  private static boolean imageInDaemon(String ref) {
    try {
      daemonImageId(ref);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static List<String> daemonDiffIds(String ref) throws IOException, InterruptedException {
    return List.of(exec("docker", "image", "inspect", "--format",
        "{{range .RootFS.Layers}}{{.}} {{end}}", ref).strip().split(" "));
  }

  private static String daemonImageId(String ref) throws IOException, InterruptedException {
    return exec("docker", "image", "inspect", "--format", "{{.Id}}", ref).strip();
  }

  private static String skopeo(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "skopeo";
    System.arraycopy(args, 0, cmd, 1, args.length);
    return exec(cmd);
  }

  private static String exec(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + err);
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
