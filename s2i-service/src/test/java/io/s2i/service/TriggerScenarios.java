package io.s2i.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.service.triggers.image.ImageResolver;
import io.s2i.service.triggers.service.Deliveries;
import io.s2i.service.triggers.service.TriggerSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The triggers over HTTP with a stand-in executor, so that the database does the work: webhooks
 * from every provider signed as it signs them, the replay log (also across a restart), the body
 * limit, secret rotation, the 50-push storm under SerialLatestOnly, ConfigChange and image-change
 * rebuilds with a stand-in resolver. Run on the embedded database ({@code H2TriggersTest}) and on
 * PostgreSQL ({@code PostgresTriggersIT}, which adds two servers sharing the database).
 */
abstract class TriggerScenarios {
  static final String SECRET = "test-only-webhook-secret-7Qx";
  @TempDir Path tmp;
  final List<BuildServer> servers = new ArrayList<>();
  BuildServer server;
  FakeExecutor executor;
  Api api;
  /** What the stand-in resolver says each image is now. */
  final Map<String, String> imageIds = new ConcurrentHashMap<>();

  /** The database to use; empty for the embedded one. */
  abstract Optional<String> database() throws Exception;

  BuildServer start(Path data) throws Exception {
    executor = new FakeExecutor();
    ImageResolver resolver = image -> Optional.ofNullable(imageIds.get(image));
    TriggerSettings triggers = TriggerSettings.defaults().withResolver(resolver).withWebhookMaxBody(256 * 1024);
    server = BuildServer.start(new ServerSettings("127.0.0.1", 0, false, data, database(), 2,
        Optional.of("replica-" + data.getFileName()), Duration.ofSeconds(3), false, 10 * 1024 * 1024,
        Optional.empty()), executor, triggers, null);
    servers.add(server);
    api = new Api(server.url(), server.token());
    return server;
  }

  @AfterEach
  void stop() {
    servers.forEach(BuildServer::close);
  }

  static String config(String name, String policy, String triggers, String env) {
    return "{\"name\": \"" + name + "\", \"source\": {\"git\": {\"uri\": \"https://example.invalid/" + name + ".git\"}},"
        + " \"runPolicy\": \"" + policy + "\", \"successfulBuildsHistoryLimit\": 100, \"failedBuildsHistoryLimit\": 100,"
        + " \"strategy\": {\"builderImage\": \"127.0.0.1:5000/s2i-it/builder:1\", \"env\": [" + env + "]},"
        + " \"output\": {\"image\": \"localhost/s2i-it/" + name + ":latest\"}, \"triggers\": [" + triggers + "]}";
  }

  static String github(String secret) {
    return "{\"type\": \"GitHub\", \"secret\": \"" + secret + "\"}";
  }

  String hook(String config, String type) {
    return server.url() + "/api/v1/webhooks/" + config + "/" + type;
  }

  JsonNode builds(String config) throws Exception {
    return ApiTest.json(api.get("/api/v1/buildconfigs/" + config + "/builds?limit=200"));
  }

  JsonNode waitEnded(String build) throws Exception {
    for (int i = 0; i < 1200; i++) {
      JsonNode b = ApiTest.json(api.get("/api/v1/builds/" + build));
      if (!List.of("New", "Pending", "Running").contains(b.path("phase").asText())) {
        return b;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(build + " did not end");
  }

  void waitIdle(String config) throws Exception {
    for (int i = 0; i < 1200; i++) {
      boolean active = false;
      for (JsonNode b : builds(config)) {
        active |= List.of("New", "Pending", "Running").contains(b.path("phase").asText());
      }
      if (!active) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(config + " did not settle");
  }

  static String sha(int n) {
    return String.format("%040x", 0xc0ffee00L + n);
  }

  // ---------------------------------------------------------------- scenarios

  @Test
  void aSignedPushBuildsThatCommitAndRecordsItsCauseWithoutTheSecret() throws Exception {
    start(tmp.resolve("data"));
    assertThat(api.post("/api/v1/buildconfigs", config("app", "Serial", github(SECRET), "")).status()).isEqualTo(201);
    // GitHub's documented push, unedited: master, which a configuration without a ref builds (OpenShift's default)
    byte[] push = Deliveries.fixture("github/push.json");
    Deliveries.Answer built = Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, SECRET, "d-1"));
    assertThat(built.status()).as(built.body()).isEqualTo(200);
    JsonNode answer = ApiTest.json(new Api.Answer(built.status(), built.body()));
    assertThat(answer.path("build").path("name").asText()).isEqualTo("app-1");
    assertThat(answer.path("message").asText()).contains("GitHub WebHook").contains("9bdc3a26ff933b32f3e558636b58aea86a69f051");
    JsonNode b = waitEnded("app-1");
    assertThat(b.path("options").path("commit").asText()).isEqualTo("9bdc3a26ff933b32f3e558636b58aea86a69f051");
    JsonNode cause = b.path("triggeredBy").get(0);
    assertThat(cause.path("type").asText()).isEqualTo("GitHub");
    assertThat(cause.path("message").asText()).isEqualTo("GitHub WebHook");
    assertThat(cause.path("details").path("provider").asText()).isEqualTo("github");
    assertThat(cause.path("details").path("delivery").asText()).isEqualTo("d-1");
    assertThat(cause.path("details").path("commit").asText()).isEqualTo("9bdc3a26ff933b32f3e558636b58aea86a69f051");
    assertThat(cause.path("details").path("ref").asText()).isEqualTo("refs/heads/master");
    assertThat(cause.path("details").path("author").asText()).isNotEmpty();
    assertThat(cause.path("details").path("message").asText()).isNotEmpty();
    assertThat(b.toString()).doesNotContain(SECRET);

    // the same delivery again (GitHub's "Redeliver"): not built twice
    Deliveries.Answer replay = Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, SECRET, "d-1"));
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.body()).contains("skipped").contains("received before");
    // another branch: 200, skipped, with the reason
    byte[] other = Deliveries.fixture("github/push-not-master-branch.json");
    Deliveries.Answer skipped = Deliveries.send(Deliveries.github(hook("app", "github"), "push", other, SECRET, "d-2"));
    assertThat(skipped.status()).isEqualTo(200);
    assertThat(skipped.body()).contains("skipped").contains("does not build this configuration, which builds branch master");
    // a wrong secret, a missing signature, a signature of another body: 401
    assertThat(Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, "wrong", "d-3")).status()).isEqualTo(401);
    assertThat(Deliveries.send(HttpRequest.newBuilder(URI.create(hook("app", "github"))).header("Content-Type", "application/json")
        .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", "d-4")
        .POST(HttpRequest.BodyPublishers.ofByteArray(push)).build()).status()).isEqualTo(401);
    HttpRequest signedOther = Deliveries.github(hook("app", "github"), "push", other, SECRET, "d-5");
    assertThat(Deliveries.send(HttpRequest.newBuilder(URI.create(hook("app", "github")))
        .headers("Content-Type", "application/json", "X-GitHub-Event", "push", "X-GitHub-Delivery", "d-5",
            "X-Hub-Signature-256", signedOther.headers().firstValue("X-Hub-Signature-256").orElseThrow())
        .POST(HttpRequest.BodyPublishers.ofByteArray(push)).build()).status()).isEqualTo(401);
    // an unknown configuration answers as a wrong secret does
    Deliveries.Answer unknown = Deliveries.send(Deliveries.github(hook("nope", "github"), "push", push, SECRET, "d-6"));
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.body()).contains("did not accept your secret");
    // ping: 200, nothing built
    Deliveries.Answer ping = Deliveries.send(Deliveries.github(hook("app", "github"), "ping",
        Deliveries.fixture("github/ping.json"), SECRET, "d-7"));
    assertThat(ping.status()).isEqualTo(200);
    assertThat(ping.body()).contains("ping received");
    assertThat(builds("app")).hasSize(1);
    assertThat(executor.runs).hasSize(1);
  }

  @Test
  void bodiesOverTheLimitAre413AndBuildNothing() throws Exception {
    start(tmp.resolve("data"));
    api.post("/api/v1/buildconfigs", config("app", "Serial", github(SECRET), ""));
    byte[] big = new byte[256 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    Deliveries.Answer declared = Deliveries.send(Deliveries.github(hook("app", "github"), "push", big, SECRET, "big-1"));
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.body()).contains("larger than 256 KiB");
    // streamed without a Content-Length: cut off at the limit all the same
    Deliveries.Answer chunked = Deliveries.send(HttpRequest.newBuilder(URI.create(hook("app", "github")))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build());
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(builds("app")).isEmpty();
  }

  @Test
  void everyProviderAsItSignsTheOpenShiftUrlFormAndSecretRotation() throws Exception {
    start(tmp.resolve("data"));
    String triggers = String.join(", ", github("old-secret"), github("new-secret"),
        "{\"type\": \"GitLab\", \"secret\": \"gl-token\"}", "{\"type\": \"Bitbucket\", \"secret\": \"bb-secret\"}",
        "{\"type\": \"Generic\", \"secret\": \"gen-secret\", \"allowEnv\": true}");
    assertThat(api.post("/api/v1/buildconfigs", config("app", "Parallel", triggers, "")).status()).isEqualTo(201);
    byte[] push = Deliveries.fixture("github/push.json");
    // rotation: both secrets of the two GitHub triggers are accepted, a third is not
    assertThat(Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, "old-secret", "r-1")).status()).isEqualTo(200);
    assertThat(Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, "new-secret", "r-2")).status()).isEqualTo(200);
    assertThat(Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, "other", "r-3")).status()).isEqualTo(401);
    assertThat(Deliveries.send(Deliveries.gitlab(hook("app", "gitlab"), Deliveries.fixture("gitlab/push.json"), "gl-token", "k-1")).status())
        .isEqualTo(200);
    assertThat(Deliveries.send(Deliveries.gitlab(hook("app", "gitlab"), Deliveries.fixture("gitlab/push.json"), "bad", "k-2")).status())
        .isEqualTo(401);
    assertThat(Deliveries.send(Deliveries.bitbucketCloud(hook("app", "bitbucket"), Deliveries.fixture("bitbucket-cloud/push.json"),
        "bb-secret", "b-1")).status()).isEqualTo(200);
    assertThat(Deliveries.send(Deliveries.bitbucketServer(hook("app", "bitbucket"),
        Deliveries.fixture("bitbucket-server/refs-changed.json"), "bb-secret", "b-2")).status()).isEqualTo(200);
    Deliveries.Answer generic = Deliveries.send(Deliveries.generic(hook("app", "generic") + "/gen-secret", "application/yaml",
        Deliveries.fixture("generic/push-generic-envs.yaml")));
    assertThat(generic.status()).as(generic.body()).isEqualTo(200);
    assertThat(Deliveries.send(Deliveries.generic(hook("app", "generic") + "/wrong", null, new byte[0])).status()).isEqualTo(401);
    // OpenShift's URL form: the generic hook as oc prints it; GitHub's still needs its signature
    String openshift = server.url() + "/apis/build.openshift.io/v1/namespaces/team/buildconfigs/app/webhooks/";
    assertThat(Deliveries.send(Deliveries.generic(openshift + "gen-secret/generic", null, new byte[0])).status()).isEqualTo(200);
    assertThat(Deliveries.send(Deliveries.generic(openshift + "old-secret/github", "application/json", push)).status())
        .isEqualTo(401);
    assertThat(Deliveries.send(Deliveries.github(openshift + "old-secret/github", "push", push, "old-secret", "r-4")).status())
        .isEqualTo(200);
    waitIdle("app");
    JsonNode all = builds("app");
    assertThat(all).hasSize(8);
    Map<String, String> byProvider = new HashMap<>();
    for (JsonNode b : all) {
      byProvider.merge(b.path("triggeredBy").get(0).path("details").path("provider").asText(""), b.path("options").path("commit").asText(""),
          (x, y) -> x);
    }
    assertThat(byProvider).containsEntry("gitlab", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7")
        .containsKeys("github", "bitbucket-cloud", "bitbucket-server", "generic");
    // the YAML payload's env is passed (the trigger allows it); no secret is in any build
    assertThat(all.toString()).contains("EXAMPLE").doesNotContain("gen-secret").doesNotContain("old-secret")
        .doesNotContain("gl-token").doesNotContain("bb-secret");
    // the URLs: shown without secrets, the generic one's secret only on an explicit POST
    String urls = api.get("/api/v1/buildconfigs/app/webhooks").body();
    assertThat(urls).contains("/api/v1/webhooks/app/github").contains("/api/v1/webhooks/app/generic/<secret>")
        .doesNotContain("gen-secret");
    String secrets = api.post("/api/v1/buildconfigs/app/webhooks/secrets", "").body();
    assertThat(secrets).contains("/api/v1/webhooks/app/generic/gen-secret");
    assertThat(api.get("/api/v1/buildconfigs/app").body()).doesNotContain("gen-secret").contains("*****");
  }

  @Test
  void fiftyPushesInASecondUnderSerialLatestOnlyBuildTheNewestOnly() throws Exception {
    start(tmp.resolve("data"));
    // each build takes ~1.5 s, so the whole storm arrives while the first push builds
    String env = "{\"name\": \"LINES\", \"value\": \"3\"}, {\"name\": \"SLEEP_MS\", \"value\": \"500\"}";
    assertThat(api.post("/api/v1/buildconfigs", config("storm", "SerialLatestOnly", github(SECRET), env)
        .replace("\"uri\": \"https://example.invalid/storm.git\"", "\"uri\": \"https://example.invalid/storm.git\", \"ref\": \"main\""))
        .status()).isEqualTo(201);
    List<Integer> order = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new java.util.Random(18));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Deliveries.Answer>> answers = new ArrayList<>();
    long begin = System.nanoTime();
    for (int n : order) {
      byte[] body = Deliveries.githubPush("refs/heads/main", sha(n - 1), sha(n), "Dev", "commit " + n);
      answers.add(pool.submit(() -> Deliveries.send(Deliveries.github(hook("storm", "github"), "push", body, SECRET, "storm-" + n))));
    }
    int queued = 0;
    int skipped = 0;
    for (Future<Deliveries.Answer> f : answers) {
      Deliveries.Answer a = f.get();
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      if (a.body().contains("\"build\"")) {
        queued++;
      } else {
        assertThat(a.body()).contains("skipped");
        skipped++;
      }
    }
    long sentMillis = (System.nanoTime() - begin) / 1_000_000;
    pool.shutdown();
    assertThat(sentMillis).as("the storm took %d ms", sentMillis).isLessThan(5_000);
    waitIdle("storm");
    JsonNode all = builds("storm");
    assertThat(all).hasSize(queued);
    assertThat(queued + skipped).isEqualTo(50);
    List<JsonNode> complete = new ArrayList<>();
    for (JsonNode b : all) {
      String phase = b.path("phase").asText();
      assertThat(phase).isIn("Complete", "Cancelled");
      if (phase.equals("Complete")) {
        complete.add(b);
      } else {
        assertThat(b.path("message").asText()).contains("SerialLatestOnly");
      }
    }
    complete.sort(java.util.Comparator.comparing(b -> b.path("completedAt").asText()));
    // the last build is the newest commit; no build went back to an older commit after a newer one
    assertThat(complete.get(complete.size() - 1).path("options").path("commit").asText()).isEqualTo(sha(50));
    assertThat(complete.size()).as("builds of a 50-push storm").isLessThanOrEqualTo(3);
    long previous = -1;
    for (JsonNode b : complete) {
      long n = Long.parseLong(b.path("options").path("commit").asText(), 16) - 0xc0ffee00L;
      assertThat(n).isGreaterThan(previous);
      previous = n;
    }
    assertThat(executor.maxPerConfig.get("storm")).isEqualTo(1);
    // a replay of the storm builds nothing
    Deliveries.Answer again = Deliveries.send(Deliveries.github(hook("storm", "github"), "push",
        Deliveries.githubPush("refs/heads/main", sha(49), sha(50), "Dev", "commit 50"), SECRET, "storm-50"));
    assertThat(again.body()).contains("received before");
  }

  @Test
  void verifiedDeliveriesAreKeptWithWhatTheyDidAndRefusedOnesAreNot() throws Exception {
    start(tmp.resolve("data"));
    api.post("/api/v1/buildconfigs", config("app", "Serial", github(SECRET), ""));
    byte[] push = Deliveries.fixture("github/push.json");
    Deliveries.Answer forged = Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, "not-it", "forged"));
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.body()).doesNotContain("\n").doesNotContain(SECRET);
    assertThat(ApiTest.json(api.get("/api/v1/buildconfigs/app/webhooks/deliveries"))).as("refused: nothing kept").isEmpty();
    Deliveries.send(Deliveries.github(hook("app", "github"), "ping", "{\"zen\": \"Keep it logically awesome.\"}"
        .getBytes(StandardCharsets.UTF_8), SECRET, "p-1"));
    Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, SECRET, "d-1"));
    Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, SECRET, "d-1"));
    Deliveries.send(Deliveries.github(hook("app", "github"), "push",
        Deliveries.githubPush("refs/heads/other", sha(1), sha(2), "Dev", "x"), SECRET, "d-2"));
    waitIdle("app");
    JsonNode kept = ApiTest.json(api.get("/api/v1/buildconfigs/app/webhooks/deliveries"));
    assertThat(kept).hasSize(4);
    assertThat(kept.get(0).path("deliveryId").asText()).isEqualTo("d-2");
    assertThat(kept.get(0).path("message").asText()).contains("skipped").contains("other");
    assertThat(kept.get(1).path("message").asText()).contains("received before");
    assertThat(kept.get(2).path("build").asText()).isEqualTo("app-1");
    assertThat(kept.get(2).path("commit").asText()).isEqualTo("9bdc3a26ff933b32f3e558636b58aea86a69f051");
    assertThat(kept.get(2).path("event").asText()).isEqualTo("push");
    assertThat(kept.get(2).path("status").asInt()).isEqualTo(200);
    assertThat(kept.get(2).path("bodyBytes").asLong()).isEqualTo(push.length);
    assertThat(kept.get(3).path("event").asText()).isEqualTo("ping");
    assertThat(kept.toString()).doesNotContain(SECRET);
    assertThat(ApiTest.json(api.get("/api/v1/buildconfigs/app/webhooks/deliveries?limit=1"))).hasSize(1);
    assertThat(api.get("/api/v1/buildconfigs/none/webhooks/deliveries").status()).isEqualTo(404);
    assertThat(new Api(server.url(), "wrong-token").get("/api/v1/buildconfigs/app/webhooks/deliveries").status())
        .isEqualTo(401);
    // a deleted configuration's deliveries go with it
    api.delete("/api/v1/buildconfigs/app");
    api.post("/api/v1/buildconfigs", config("app", "Serial", github(SECRET), ""));
    assertThat(ApiTest.json(api.get("/api/v1/buildconfigs/app/webhooks/deliveries"))).isEmpty();
  }

  @Test
  void aReplayIsRefusedAfterARestart() throws Exception {
    BuildServer first = start(tmp.resolve("data"));
    api.post("/api/v1/buildconfigs", config("app", "Serial", github(SECRET), ""));
    byte[] push = Deliveries.fixture("github/push.json");
    assertThat(Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, SECRET, "once")).body()).contains("app-1");
    waitEnded("app-1");
    first.close();
    servers.remove(first);
    start(tmp.resolve("data"));
    Deliveries.Answer replay = Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, SECRET, "once"));
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.body()).contains("received before");
    assertThat(Deliveries.send(Deliveries.github(hook("app", "github"), "push", push, SECRET, "twice")).body()).contains("app-2");
  }

  @Test
  void configChangeBuildsANewConfigurationOnceAndAChangedOneAgain() throws Exception {
    start(tmp.resolve("data"));
    String cfg = config("cc", "Serial", "{\"type\": \"ConfigChange\"}", "");
    assertThat(api.post("/api/v1/buildconfigs", cfg).status()).isEqualTo(201);
    JsonNode first = waitEnded("cc-1");
    assertThat(first.path("triggeredBy").get(0).path("type").asText()).isEqualTo("ConfigChange");
    assertThat(first.path("triggeredBy").get(0).path("details").path("change").asText()).isEqualTo("created");
    assertThat(api.put("/api/v1/buildconfigs/cc", cfg).status()).isEqualTo(200);
    assertThat(api.postYaml("/api/v1/apply", cfg).status()).isEqualTo(200);
    Thread.sleep(300);
    assertThat(builds("cc")).as("an unchanged configuration builds nothing").hasSize(1);
    assertThat(api.put("/api/v1/buildconfigs/cc", cfg.replace("\"env\": []", "\"env\": [{\"name\": \"X\", \"value\": \"1\"}]"))
        .status()).isEqualTo(200);
    JsonNode second = waitEnded("cc-2");
    assertThat(second.path("triggeredBy").get(0).path("details").path("change").asText()).isEqualTo("changed");
    assertThat(builds("cc")).hasSize(2);
    // a binary configuration cannot have one: its builds need an upload
    Api.Answer binary = api.post("/api/v1/buildconfigs", cfg.replace("\"cc\"", "\"bin\"")
        .replace("{\"git\": {\"uri\": \"https://example.invalid/cc.git\"}}", "{\"type\": \"Binary\"}"));
    assertThat(binary.status()).isEqualTo(400);
    assertThat(binary.body()).contains("ConfigChange").contains("Binary");
  }

  @Test
  void aChangedImageRebuildsEveryFollowerOncePinnedWithOldAndNewIds() throws Exception {
    String builder = "127.0.0.1:5000/s2i-it/builder:1";
    String runtime = "127.0.0.1:5000/s2i-it/runtime:1";
    imageIds.put(builder, "sha256:" + "a".repeat(64));
    imageIds.put(runtime, "sha256:" + "c".repeat(64));
    start(tmp.resolve("data"));
    api.post("/api/v1/buildconfigs", config("one", "Serial", "{\"type\": \"ImageChange\"}", ""));
    api.post("/api/v1/buildconfigs", config("two", "Serial", "{\"type\": \"ImageChange\"},"
        + " {\"type\": \"ImageChange\", \"from\": \"" + runtime + "\"}", "")
        .replace("\"env\": []", "\"env\": [], \"runtimeImage\": \"" + runtime + "\""));
    api.post("/api/v1/buildconfigs", config("none", "Serial", "", ""));
    JsonNode status = ApiTest.json(api.get("/api/v1/imagechange"));
    assertThat(status.path("followed").toString()).contains(builder).contains(runtime).contains("one (builder)")
        .contains("two (runtime)");
    // the first check is the baseline (no automatic checks in this server)
    JsonNode baseline = ApiTest.json(api.post("/api/v1/imagechange", ""));
    assertThat(baseline.path("changes")).isEmpty();
    assertThat(baseline.path("checked")).hasSize(2);
    imageIds.put(builder, "sha256:" + "b".repeat(64));
    JsonNode changed = ApiTest.json(api.post("/api/v1/imagechange", "{\"image\": \"" + builder + "\"}"));
    assertThat(changed.path("changes")).hasSize(1);
    JsonNode change = changed.path("changes").get(0);
    assertThat(change.path("oldId").asText()).isEqualTo("sha256:" + "a".repeat(64));
    assertThat(change.path("newId").asText()).isEqualTo("sha256:" + "b".repeat(64));
    assertThat(change.path("builds").toString()).contains("one-1").contains("two-1");
    for (String b : List.of("one-1", "two-1")) {
      JsonNode build = waitEnded(b);
      assertThat(build.path("options").path("builderImage").asText())
          .isEqualTo("127.0.0.1:5000/s2i-it/builder@sha256:" + "b".repeat(64));
      JsonNode cause = build.path("triggeredBy").get(0);
      assertThat(cause.path("type").asText()).isEqualTo("ImageChange");
      assertThat(cause.path("details").path("oldImageId").asText()).isEqualTo("sha256:" + "a".repeat(64));
      assertThat(cause.path("details").path("newImageId").asText()).isEqualTo("sha256:" + "b".repeat(64));
    }
    assertThat(ApiTest.json(api.post("/api/v1/imagechange", "")).path("changes")).as("once").isEmpty();
    // the runtime image: only the configuration following it, pinned as its runtime image
    imageIds.put(runtime, "sha256:" + "d".repeat(64));
    JsonNode byRepository = ApiTest.json(api.post("/api/v1/imagechange", "{\"repository\": \"127.0.0.1:5000/s2i-it/runtime\"}"));
    assertThat(byRepository.path("changes").get(0).path("builds").toString()).isEqualTo("[\"two-2\"]");
    assertThat(waitEnded("two-2").path("options").path("runtimeImage").asText())
        .isEqualTo("127.0.0.1:5000/s2i-it/runtime@sha256:" + "d".repeat(64));
    // a registry's push notification names the repository
    imageIds.put(builder, "sha256:" + "e".repeat(64));
    JsonNode notified = ApiTest.json(api.post("/api/v1/imagechange", "{\"events\": [{\"action\": \"push\","
        + " \"target\": {\"repository\": \"s2i-it/builder\", \"tag\": \"1\"}, \"request\": {\"host\": \"127.0.0.1:5000\"}}]}"));
    assertThat(notified.path("changes").get(0).path("builds").toString()).contains("one-2").contains("two-3");
    assertThat(builds("none")).isEmpty();
    assertThat(api.post("/api/v1/imagechange", "{\"what\": 1}").status()).isEqualTo(400);
    assertThat(new Api(server.url(), null).post("/api/v1/imagechange", "").status()).as("needs the token").isEqualTo(401);
  }
}
