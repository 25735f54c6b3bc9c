package io.s2i.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.engine.ContainerEngine;
import io.s2i.service.BuildServer;
import io.s2i.service.ServerSettings;
import io.s2i.service.executor.LocalExecutor;
import io.s2i.service.model.ServiceJson;
import io.s2i.service.triggers.service.Deliveries;
import io.s2i.service.triggers.service.TriggerSettings;
import io.s2i.service.uploads.UploadExtractor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The triggers end to end on the real Docker engine, over HTTP, on the embedded database (the
 * database's part runs on both in H2TriggersTest and PostgresTriggersIT): a signed GitHub push
 * builds the exact commit it names while its branch has moved on; 50 pushes of 50 real commits
 * under SerialLatestOnly build the newest; a builder tag pushed anew to the loopback registry
 * rebuilds its follower once, and pushing the old builder back gives the first image's inputs
 * digest again (only the builder id differed); builder detection at build time. The CLI's side
 * (serve, describe, start-build --from-webhook, the interval check with two followers) is
 * ServeTriggersIT's.
 */
class TriggersIT {
  static final String SECRET = "it-webhook-secret-3f9";
  static final String REGISTRY = "127.0.0.1:5000";
  static final String SHELL_BUILDER = "localhost/s2i-example/shell-builder:latest";
  @TempDir Path tmp;
  final EngineFixture engine = new EngineFixture();
  final List<String> images = new ArrayList<>();
  final List<String> manifests = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();
  BuildServer server;

  @BeforeEach
  void start() throws Exception {
    engine.recordBefore();
    ContainerEngine docker = EngineFixture.open();
    Path catalogue = Files.writeString(tmp.resolve("builders.yaml"), "builders:\n"
        + "  - {image: " + SHELL_BUILDER + ", language: python, version: \"3.11\"}\n");
    LocalExecutor executor = new LocalExecutor(docker, new UploadExtractor(1 << 30, 100_000), b -> List.of(),
        Optional.of(catalogue));
    // checks on an interval (an hour: the test asks for them) also take each image's baseline as it is followed
    TriggerSettings triggers = TriggerSettings.defaults().withImageCheckInterval(Duration.ofHours(1))
        .withEngineImages(docker.images());
    server = BuildServer.start(new ServerSettings("127.0.0.1", 0, false, tmp.resolve("data"), Optional.empty(), 2,
        Optional.empty(), Duration.ofSeconds(30), false, 100L << 20, Optional.empty()), executor, triggers, null);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    for (String image : images) {
      EngineFixture.docker("rmi", "-f", image);
    }
    for (String m : manifests) {
      // the builds pulled the builder by digest: that reference would keep an untagged image
      EngineFixture.docker("rmi", REGISTRY + "/" + m.replace("/manifests/", "@"));
      http.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/" + m)).DELETE().build(),
          HttpResponse.BodyHandlers.discarding());
    }
    engine.checkNothingLeft(tmp);
  }

  String image(String name) {
    String ref = "localhost/s2i-it/hooks-" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ":latest";
    images.add(ref);
    return ref;
  }

  // ---------------------------------------------------------------- HTTP

  HttpRequest.Builder req(String path) {
    return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofMinutes(5))
        .header("Authorization", "Bearer " + server.token());
  }

  JsonNode send(HttpRequest r, int status) throws Exception {
    HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(status);
    return resp.body().isEmpty() ? null : ServiceJson.json().readTree(resp.body());
  }

  JsonNode post(String path, String json, int status) throws Exception {
    return send(req(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(), status);
  }

  JsonNode get(String path) throws Exception {
    return send(req(path).GET().build(), 200);
  }

  String log(String build) throws Exception {
    return new String(http.send(req("/api/v1/builds/" + build + "/log").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray()).body());
  }

  JsonNode waitEnded(String build) throws Exception {
    for (int i = 0; i < 3000; i++) {
      HttpResponse<String> r = http.send(req("/api/v1/builds/" + build).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonNode b = ServiceJson.json().readTree(r.body());
        if (!List.of("New", "Pending", "Running").contains(b.path("phase").asText())) {
          return b;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(build + " did not end");
  }

  void waitIdle(String config) throws Exception {
    for (int i = 0; i < 3000; i++) {
      boolean active = false;
      for (JsonNode b : get("/api/v1/buildconfigs/" + config + "/builds?limit=200")) {
        active |= List.of("New", "Pending", "Running").contains(b.path("phase").asText());
      }
      if (!active) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(config + " did not settle");
  }

  static String label(String image, String key) {
    return EngineFixture.docker("image", "inspect", "-f", "{{index .Config.Labels \"" + key + "\"}}", image).strip();
  }

  static String config(String name, String uri, String builder, String pull, String policy, String triggers, String output) {
    return "{\"name\": \"" + name + "\", \"source\": {\"git\": {\"uri\": \"" + uri + "\", \"ref\": \"main\"}},"
        + " \"runPolicy\": \"" + policy + "\", \"successfulBuildsHistoryLimit\": 100, \"failedBuildsHistoryLimit\": 100,"
        + " \"strategy\": {\"builderImage\": \"" + builder + "\", \"pullPolicy\": \"" + pull + "\"},"
        + " \"output\": {\"image\": \"" + output + "\"}, \"triggers\": [" + triggers + "]}";
  }

  static String github() {
    return "{\"type\": \"GitHub\", \"secret\": \"" + SECRET + "\"}";
  }

  String hook(String config) {
    return server.url() + "/api/v1/webhooks/" + config + "/github";
  }

  /** A repository on branch main with one file; returns it (commits go on with {@link #commit}). */
  Git repo(String name, String... files) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (int i = 0; i < files.length; i += 2) {
      Path f = dir.resolve(files[i]);
      Files.createDirectories(f.getParent());
      Files.writeString(f, files[i + 1]);
      if (files[i].endsWith(".sh")) {
        f.toFile().setExecutable(true, false);
      }
    }
    Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    git.add().addFilepattern(".").call();
    git.commit().setMessage("first").setAuthor("Tester", "tester@example.com").setCommitter("Tester", "tester@example.com")
        .setSign(false).call();
    return git;
  }

  static RevCommit commit(Git git, String file, String content, String message) throws Exception {
    Path dir = git.getRepository().getWorkTree().toPath();
    Files.writeString(dir.resolve(file), content);
    git.add().addFilepattern(file).call();
    return git.commit().setMessage(message).setAuthor("Dev", "dev@example.com").setCommitter("Dev", "dev@example.com")
        .setSign(false).call();
  }

  static String uri(Git git) {
    return "file://" + git.getRepository().getWorkTree().toPath();
  }

  // ---------------------------------------------------------------- scenarios

  @Test
  void aSignedPushBuildsTheExactCommitItNamesWhileTheBranchMovesOn() throws Exception {
    try (Git git = repo("app", "hello.txt", "0\n")) {
      String before = git.getRepository().resolve("HEAD").name();
      RevCommit pushed = commit(git, "hello.txt", "1\n", "the pushed commit");
      RevCommit later = commit(git, "hello.txt", "2\n", "a later commit");
      String out = image("exact");
      post("/api/v1/buildconfigs", config("app", uri(git), EngineFixture.BUILDER, "Never", "Serial", github(), out), 201);
      // the push of `pushed` arrives after the branch has moved on to `later`: `pushed` is built
      byte[] body = Deliveries.githubPush("refs/heads/main", before, pushed.name(), "Dev", "the pushed commit");
      Deliveries.Answer a = Deliveries.send(Deliveries.github(hook("app"), "push", body, SECRET, "it-1"));
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      JsonNode b = waitEnded("app-1");
      assertThat(b.path("phase").asText()).as(log("app-1")).isEqualTo("Complete");
      assertThat(b.path("revision").path("commit").asText()).isEqualTo(pushed.name());
      assertThat(label(out, "io.openshift.s2i.build.commit.id")).isEqualTo(pushed.name());
      assertThat(b.path("triggeredBy").get(0).path("details").path("author").asText()).isEqualTo("Dev <dev@example.com>");
      assertThat(b.path("triggeredBy").get(0).path("details").path("message").asText()).isEqualTo("the pushed commit");
      assertThat(log("app-1")).doesNotContain(SECRET);
      // another branch is skipped with the reason; a wrong secret builds nothing
      byte[] other = Deliveries.githubPush("refs/heads/feature", before, later.name(), "Dev", "x");
      assertThat(Deliveries.send(Deliveries.github(hook("app"), "push", other, SECRET, "it-2")).body())
          .contains("a push to branch feature does not build this configuration, which builds branch main");
      Deliveries.Answer forged = Deliveries.send(Deliveries.github(hook("app"), "push", body, "not-the-secret", "it-3"));
      assertThat(forged.status()).isEqualTo(401);
      assertThat(ServiceJson.json().readTree(forged.body()).path("error").asText()).isNotEmpty().doesNotContain("\n");
      assertThat(get("/api/v1/buildconfigs/app/builds")).hasSize(1);
      // the verified deliveries are kept with what they did; the forged one is not
      JsonNode kept = get("/api/v1/buildconfigs/app/webhooks/deliveries");
      assertThat(kept).hasSize(2);
      assertThat(kept.get(0).path("deliveryId").asText()).isEqualTo("it-2");
      assertThat(kept.get(1).path("build").asText()).isEqualTo("app-1");
      assertThat(kept.get(1).path("commit").asText()).isEqualTo(pushed.name());
      assertThat(kept.toString()).doesNotContain(SECRET);
      assertThat(get("/api/v1/buildconfigs/app").toString()).doesNotContain(SECRET);
    }
  }

  @Test
  void fiftyPushesOfRealCommitsUnderSerialLatestOnlyBuildTheNewest() throws Exception {
    try (Git git = repo("storm", "hello.txt", "0\n")) {
      List<RevCommit> commits = new ArrayList<>();
      String first = git.getRepository().resolve("HEAD").name();
      for (int i = 1; i <= 50; i++) {
        commits.add(commit(git, "hello.txt", i + "\n", "commit " + i));
      }
      post("/api/v1/buildconfigs", config("storm", uri(git), EngineFixture.BUILDER, "Never", "SerialLatestOnly", github(),
          image("storm")), 201);
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new java.util.Random(50));
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<Deliveries.Answer>> answers = new ArrayList<>();
      long begin = System.nanoTime();
      for (int i : order) {
        byte[] body = Deliveries.githubPush("refs/heads/main", i == 0 ? first : commits.get(i - 1).name(),
            commits.get(i).name(), "Dev", "commit " + (i + 1));
        answers.add(pool.submit(() -> Deliveries.send(Deliveries.github(hook("storm"), "push", body, SECRET, "s-" + i))));
      }
      for (Future<Deliveries.Answer> f : answers) {
        assertThat(f.get().status()).as(f.get().body()).isEqualTo(200);
      }
      long millis = (System.nanoTime() - begin) / 1_000_000;
      pool.shutdown();
      assertThat(millis).as("50 pushes took %d ms", millis).isLessThan(10_000);
      waitIdle("storm");
      List<JsonNode> complete = new ArrayList<>();
      for (JsonNode b : get("/api/v1/buildconfigs/storm/builds?limit=200")) {
        assertThat(b.path("phase").asText()).isIn("Complete", "Cancelled");
        if (b.path("phase").asText().equals("Complete")) {
          complete.add(b);
        }
      }
      complete.sort(java.util.Comparator.comparing(b -> b.path("completedAt").asText()));
      assertThat(complete.size()).isBetween(1, 3);
      assertThat(complete.get(complete.size() - 1).path("revision").path("commit").asText())
          .as("the last build built the newest commit").isEqualTo(commits.get(49).name());
      // a replayed delivery does not build twice
      byte[] replay = Deliveries.githubPush("refs/heads/main", commits.get(48).name(), commits.get(49).name(), "Dev", "commit 50");
      assertThat(Deliveries.send(Deliveries.github(hook("storm"), "push", replay, SECRET, "s-49")).body())
          .contains("received before");
    }
  }

  @Test
  void aBuilderPushedAnewRebuildsItsFollowerOnceAndOnlyTheBuilderIdChangesTheInputsDigest() throws Exception {
    String repository = "s2i-it/hooks-builder";
    String tag = "b-" + UUID.randomUUID().toString().substring(0, 8);
    String builder = REGISTRY + "/" + repository + ":" + tag;
    images.add(builder);
    // builder B: the fixture builder with one more label, a different image
    Path ctx = Files.createDirectories(tmp.resolve("variant"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + EngineFixture.BUILDER + "\nLABEL s2i.test.variant=" + tag + "\n");
    String variant = "localhost/s2i-it/hooks-variant-" + tag + ":latest";
    images.add(variant);
    assertThat(EngineFixture.docker("build", "-q", "-t", variant, ctx.toString())).contains("sha256:");
    String digestA = push(EngineFixture.BUILDER, builder);
    try (Git git = repo("img", "hello.txt", "hello\n")) {
      String out = image("img");
      post("/api/v1/buildconfigs", config("img", uri(git), builder, "IfNotPresent", "Serial",
          "{\"type\": \"ImageChange\"}, {\"type\": \"ConfigChange\"}", out), 201);
      JsonNode first = waitEnded("img-1");
      assertThat(first.path("phase").asText()).as(log("img-1")).isEqualTo("Complete");
      assertThat(first.path("triggeredBy").get(0).path("type").asText()).isEqualTo("ConfigChange");
      String idA = first.path("inputs").path("builderImageId").asText();
      assertThat(idA).startsWith("sha256:");
      String digest1 = label(out, "io.s2i.build.inputs-digest");
      assertThat(digest1).isNotEmpty();
      waitKnown(builder, digestA);

      // B is pushed under the same tag; a CI job tells the server
      String digestB = push(variant, builder);
      assertThat(digestB).isNotEqualTo(digestA);
      JsonNode changed = post("/api/v1/imagechange", "{\"repository\": \"" + REGISTRY + "/" + repository + "\"}", 200);
      assertThat(changed.path("changes")).hasSize(1);
      assertThat(changed.path("changes").get(0).path("builds").toString()).isEqualTo("[\"img-2\"]");
      assertThat(post("/api/v1/imagechange", "", 200).path("changes")).as("rebuilt once").isEmpty();
      JsonNode second = waitEnded("img-2");
      assertThat(second.path("phase").asText()).as(log("img-2")).isEqualTo("Complete");
      JsonNode cause = second.path("triggeredBy").get(0);
      assertThat(cause.path("type").asText()).isEqualTo("ImageChange");
      assertThat(cause.path("details").path("oldImageId").asText()).isEqualTo(digestA);
      assertThat(cause.path("details").path("newImageId").asText()).isEqualTo(digestB);
      assertThat(second.path("inputs").path("builderImage").asText()).isEqualTo(REGISTRY + "/" + repository + "@" + digestB);
      String idB = second.path("inputs").path("builderImageId").asText();
      assertThat(idB).startsWith("sha256:").isNotEqualTo(idA);
      assertThat(second.path("revision").path("commit").asText()).isEqualTo(first.path("revision").path("commit").asText());
      String digest2 = label(out, "io.s2i.build.inputs-digest");
      assertThat(digest2).isNotEqualTo(digest1);

      // A is pushed back: the rebuild with A's id has the first build's inputs digest again, so
      // the builder id is all that made the second differ
      String digestA2 = push(EngineFixture.BUILDER, builder);
      JsonNode back = post("/api/v1/imagechange", "{\"image\": \"" + builder + "\"}", 200);
      assertThat(back.path("changes").get(0).path("builds").toString()).isEqualTo("[\"img-3\"]");
      JsonNode third = waitEnded("img-3");
      assertThat(third.path("phase").asText()).as(log("img-3")).isEqualTo("Complete");
      assertThat(third.path("triggeredBy").get(0).path("details").path("newImageId").asText()).isEqualTo(digestA2);
      assertThat(third.path("inputs").path("builderImageId").asText()).isEqualTo(idA);
      assertThat(label(out, "io.s2i.build.inputs-digest")).isEqualTo(digest1);
    }
  }

  /** Tags {@code local} as {@code target} and pushes it; returns the digest the registry stored. */
  String push(String local, String target) {
    EngineFixture.docker("tag", local, target);
    String out = EngineFixture.docker("push", target);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("digest: (sha256:[0-9a-f]{64})").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    String digest = m.group(1);
    String name = target.substring(REGISTRY.length() + 1, target.lastIndexOf(':'));
    manifests.add(name + "/manifests/" + digest);
    return digest;
  }

  void waitKnown(String image, String id) throws Exception {
    for (int i = 0; i < 300; i++) {
      if (get("/api/v1/imagechange").toString().contains(id)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the baseline of " + image + " was not taken: " + get("/api/v1/imagechange"));
  }

  @Test
  void detectionChoosesTheBuilderAtBuildTimeAndSaysWhyWhenNothingFits() throws Exception {
    try (Git py = repo("py", "requirements.txt", "flask==3.0\n", ".python-version", "3.11\n",
        "app.sh", "#!/bin/sh\necho hello from python\n");
         Git plain = repo("plain", "notes.txt", "nothing to detect\n")) {
      String out = image("detected");
      post("/api/v1/buildconfigs", config("detected", uri(py), EngineFixture.BUILDER, "Never", "Serial", "", out)
          .replace("\"builderImage\": \"" + EngineFixture.BUILDER + "\"", "\"detect\": true"), 201);
      post("/api/v1/buildconfigs/detected/instantiate", "{}", 201);
      JsonNode b = waitEnded("detected-1");
      assertThat(b.path("phase").asText()).as(log("detected-1")).isEqualTo("Complete");
      JsonNode detected = b.path("inputs").path("detected");
      assertThat(detected.path("language").asText()).isEqualTo("python");
      assertThat(detected.path("version").asText()).isEqualTo("3.11");
      assertThat(detected.path("builder").asText()).isEqualTo(SHELL_BUILDER);
      assertThat(b.path("inputs").path("builderImage").asText()).isEqualTo(SHELL_BUILDER);
      assertThat(b.path("stages").toString()).contains("DetectBuilder");
      assertThat(label(out, "io.s2i.detect.language")).isEqualTo("python");
      assertThat(EngineFixture.docker("run", "--rm", "--network", "none", out)).contains("hello from python");

      post("/api/v1/buildconfigs", config("undetected", uri(plain), EngineFixture.BUILDER, "Never", "Serial", "",
          image("undetected")).replace("\"builderImage\": \"" + EngineFixture.BUILDER + "\"", "\"detect\": true"), 201);
      post("/api/v1/buildconfigs/undetected/instantiate", "{}", 201);
      JsonNode failed = waitEnded("undetected-1");
      assertThat(failed.path("phase").asText()).isEqualTo("Failed");
      assertThat(failed.path("reason").asText()).isEqualTo("DetectionFailed");
      assertThat(failed.path("message").asText()).contains("Fix:");
    }
  }
}
