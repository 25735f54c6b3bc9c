package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.service.auth.ClientConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The triggers of {@code s2i serve} as a user meets them, with the process, the CLI, the real
 * Docker engine and the loopback registry: configurations with GitHub, generic, ImageChange and
 * ConfigChange triggers applied by {@code s2i apply} builds each configuration once; {@code s2i
 * describe} shows the webhook URLs (secrets only with {@code --show-secrets}); a forged GitHub
 * signature is a one-line 401 that stores nothing, a signed push builds its commit; {@code s2i
 * start-build --from-webhook} replays a git post-receive hook; the deliveries are kept and listed;
 * a patched builder pushed to 127.0.0.1:5000 rebuilds every configuration that follows it, once,
 * found by the server's own interval check; no secret in the server's log, build logs or answers.
 */
class ServeTriggersIT extends EngineTestBase {
  static final String REGISTRY = "127.0.0.1:5000";
  static final String GITHUB_SECRET = "gh-secret-" + UUID.randomUUID();
  static final String GENERIC_SECRET = "generic-secret-" + UUID.randomUUID();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> images = new ArrayList<>();
  private final List<String> manifests = new ArrayList<>();
  private Process server;
  private Path serverLog;
  private ClientConfig client;

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    env.put("XDG_DATA_HOME", tmp.resolve("share").toString());
    env.put("S2I_TOKEN", "");
    return env;
  }

  S2iProcess.Result cli(String... args) {
    return s2i(env(), args);
  }

  void serve(String... extra) throws Exception {
    Path clientConfig = tmp.resolve("config/s2i/client.yaml");
    List<String> args = new ArrayList<>(List.of("serve", "--port", "0"));
    args.addAll(List.of(extra));
    server = S2iProcess.start(tmp, javaTmp, withEngine(env()), args.toArray(String[]::new));
    server.getInputStream().close();
    serverLog = tmp.resolve("serve.log");
    Process p = server;
    Thread drain = new Thread(() -> {
      try {
        Files.copy(p.getErrorStream(), serverLog);
      } catch (IOException e) {
        // the server is gone
      }
    });
    drain.setDaemon(true);
    drain.start();
    for (int i = 0; i < 600 && !Files.exists(clientConfig); i++) {
      assertThat(server.isAlive()).as("serve exited: " + (Files.exists(serverLog) ? Files.readString(serverLog) : ""))
          .isTrue();
      Thread.sleep(100);
    }
    client = ClientConfig.read(clientConfig).orElseThrow();
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null && server.isAlive()) {
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    for (String image : images) {
      Docker.run("rmi", "-f", image);
    }
    // the builds pulled the builder by digest: those references (one on the fixture builder) go too
    for (String m : manifests) {
      Docker.run("rmi", REGISTRY + "/" + m.replace("/manifests/", "@"));
    }
    for (String m : manifests) {
      http.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/" + m)).DELETE().build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }

  JsonNode api(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client.server() + path))
        .header("Authorization", "Bearer " + client.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    assertThat(r.body()).as("an API answer").doesNotContain(GITHUB_SECRET).doesNotContain(GENERIC_SECRET);
    return JSON.readTree(r.body());
  }

  JsonNode waitEnded(String build) throws Exception {
    for (int i = 0; i < 1200; i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client.server() + "/api/v1/builds/" + build))
          .header("Authorization", "Bearer " + client.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonNode b = JSON.readTree(r.body());
        if (!List.of("New", "Pending", "Running").contains(b.path("phase").asText())) {
          images.add(b.path("imageId").asText("none"));
          return b;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(build + " did not end");
  }

  /** Tags {@code local} as {@code target}, pushes it and returns the digest the registry stored. */
  String push(String local, String target) {
    assertThat(Docker.run("tag", local, target).exitCode()).isZero();
    String out = Docker.run("push", target).stdout();
    Matcher m = Pattern.compile("digest: (sha256:[0-9a-f]{64})").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    manifests.add(target.substring(REGISTRY.length() + 1, target.lastIndexOf(':')) + "/manifests/" + m.group(1));
    return m.group(1);
  }

  static String bc(String name, String uri, String builder, String output, String triggers) {
    return """
        name: %s
        runPolicy: Serial
        source:
          git: {uri: "%s", ref: main}
        strategy:
          builderImage: %s
          pullPolicy: IfNotPresent
        output:
          image: %s
        triggers:
        - type: ConfigChange
        - type: ImageChange
        %s""".formatted(name, uri, builder, output, triggers);
  }

  static String hmac(byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(GITHUB_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  HttpResponse<String> github(String url, byte[] body, String signature, String delivery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .header("User-Agent", "GitHub-Hookshot/044aadd").header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", delivery).header("X-Hub-Signature-256", "sha256=" + signature)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String commit(Git git, String content, String message) throws Exception {
    Path dir = git.getRepository().getWorkTree().toPath();
    Files.writeString(dir.resolve("hello.txt"), content);
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor("Dev", "dev@example.com").setCommitter("Dev", "dev@example.com")
        .setSign(false).call().name();
  }

  @Test
  void webhooksImageChangeAndConfigChangeThroughTheRunningServer() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String builder = REGISTRY + "/s2i-it/hooks-cli-builder:" + tag;
    images.add(builder);
    String digestA = push(FIXTURE + "builder:latest", builder);
    // the patched builder: the fixture builder with one more label
    Path ctx = Files.createDirectories(tmp.resolve("patched"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + FIXTURE + "builder:latest\nLABEL s2i.test.patch=" + tag + "\n");
    String patched = "localhost/s2i-it/hooks-cli-patched-" + tag + ":latest";
    images.add(patched);
    assertThat(Docker.run("build", "-q", "-t", patched, ctx.toString()).exitCode()).isZero();
    images.add(Docker.run("image", "inspect", "-f", "{{.Id}}", patched).stdout().strip());

    Path repo = writeApp("repo", "hello.txt", "0\n", "app.sh", "#!/bin/sh\ncat hello.txt\n");
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      String c0 = commit(git, "0\n", "first");
      serve("--image-check-interval", "2s", "--webhook-max-body", "64k");
      String uri = "file://" + repo;
      Files.writeString(tmp.resolve("alpha.yaml"), bc("alpha", uri, builder, outputImage("hooks-alpha"), """
          - {type: GitHub, secret: %s}
          - {type: Generic, secret: %s}
          """.formatted(GITHUB_SECRET, GENERIC_SECRET)));
      Files.writeString(tmp.resolve("beta.yaml"), bc("beta", uri, builder, outputImage("hooks-beta"), ""));
      for (String file : List.of("alpha.yaml", "beta.yaml")) {
        S2iProcess.Result applied = cli("apply", "-f", file);
        assertThat(applied.exitCode()).as(applied.all()).isZero();
      }

      // ConfigChange: each new configuration builds once, from the builder as the registry has it
      for (String config : List.of("alpha", "beta")) {
        JsonNode first = waitEnded(config + "-1");
        assertThat(first.path("phase").asText()).as(cli("logs", config + "-1").stdout()).isEqualTo("Complete");
        assertThat(first.path("triggeredBy").get(0).path("type").asText()).isEqualTo("ConfigChange");
        assertThat(first.path("revision").path("commit").asText()).isEqualTo(c0);
      }

      // describe shows the URLs; the secrets only when asked for
      S2iProcess.Result described = cli("describe", "alpha");
      assertThat(described.stdout()).contains("Webhook GitHub").contains("/api/v1/webhooks/alpha/github")
          .contains("/api/v1/webhooks/alpha/generic/<secret>")
          .doesNotContain(GITHUB_SECRET).doesNotContain(GENERIC_SECRET);
      S2iProcess.Result shown = cli("describe", "alpha", "--show-secrets");
      Matcher generic = Pattern.compile("(http://\\S+/api/v1/webhooks/alpha/generic/" + GENERIC_SECRET + ")")
          .matcher(shown.stdout());
      assertThat(generic.find()).as(shown.stdout()).isTrue();
      String githubUrl = client.server() + "/api/v1/webhooks/alpha/github";

      // a forged signature: one-line 401, no build, nothing kept
      String c1 = commit(git, "1\n", "the pushed commit");
      String c2 = commit(git, "2\n", "a later commit");
      byte[] push = ("{\"ref\": \"refs/heads/main\", \"before\": \"" + c0 + "\", \"after\": \"" + c1 + "\","
          + " \"repository\": {\"clone_url\": \"" + uri + "\"}, \"head_commit\": {\"id\": \"" + c1 + "\","
          + " \"message\": \"the pushed commit\", \"author\": {\"name\": \"Dev\", \"email\": \"dev@example.com\"}}}")
          .getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> forged = github(githubUrl, push, "0".repeat(64), "forged-1");
      assertThat(forged.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(forged.body()).path("error").asText()).isNotEmpty().doesNotContain("\n");
      assertThat(api("/api/v1/buildconfigs/alpha/builds")).hasSize(1);
      assertThat(api("/api/v1/buildconfigs/alpha/webhooks/deliveries")).isEmpty();

      // signed: builds the commit it names, though the branch has moved on
      HttpResponse<String> signed = github(githubUrl, push, hmac(push), "good-1");
      assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
      assertThat(signed.body()).contains("alpha-2").doesNotContain(GITHUB_SECRET);
      JsonNode second = waitEnded("alpha-2");
      assertThat(second.path("phase").asText()).isEqualTo("Complete");
      assertThat(second.path("revision").path("commit").asText()).isEqualTo(c1);
      assertThat(second.path("triggeredBy").get(0).path("type").asText()).isEqualTo("GitHub");

      // the generic hook from a git post-receive hook, as oc start-build --from-webhook does it
      Files.writeString(tmp.resolve("post-receive.txt"), c1 + " " + c2 + " refs/heads/main\n");
      S2iProcess.Result replayed = cli("start-build", "--from-webhook", generic.group(1),
          "--git-post-receive", tmp.resolve("post-receive.txt").toString(), "--git-repository", repo.toString());
      assertThat(replayed.exitCode()).as(replayed.all()).isZero();
      assertThat(replayed.stdout()).contains("build/alpha-3 started");
      JsonNode third = waitEnded("alpha-3");
      assertThat(third.path("phase").asText()).isEqualTo("Complete");
      assertThat(third.path("revision").path("commit").asText()).isEqualTo(c2);

      // the verified deliveries are kept, newest first, with what they did
      JsonNode deliveries = api("/api/v1/buildconfigs/alpha/webhooks/deliveries");
      assertThat(deliveries).hasSize(2);
      assertThat(deliveries.get(0).path("type").asText()).isEqualTo("generic");
      assertThat(deliveries.get(0).path("build").asText()).isEqualTo("alpha-3");
      assertThat(deliveries.get(1).path("deliveryId").asText()).isEqualTo("good-1");
      assertThat(deliveries.get(1).path("build").asText()).isEqualTo("alpha-2");
      assertThat(deliveries.get(1).path("commit").asText()).isEqualTo(c1);
      assertThat(cli("describe", "alpha").stdout()).containsPattern("(?m)^DELIVERY +RECEIVED +TYPE +STATUS +BUILD +MESSAGE")
          .containsPattern("(?m)^good-1 +.+ +github +200 +alpha-2 +GitHub WebHook: building commit " + c1);

      // the builder is patched in the registry: the interval check rebuilds both followers, once
      String digestB = push(patched, builder);
      assertThat(digestB).isNotEqualTo(digestA);
      for (String config : List.of("alpha", "beta")) {
        String name = config + (config.equals("alpha") ? "-4" : "-2");
        JsonNode rebuilt = null;
        for (int i = 0; i < 600 && rebuilt == null; i++) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client.server() + "/api/v1/builds/" + name))
              .header("Authorization", "Bearer " + client.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
          rebuilt = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
          Thread.sleep(rebuilt == null ? 100 : 0);
        }
        assertThat(rebuilt).as(name + " was not started by the image change").isNotNull();
        JsonNode ended = waitEnded(name);
        assertThat(ended.path("phase").asText()).as(cli("logs", name).stdout()).isEqualTo("Complete");
        JsonNode cause = ended.path("triggeredBy").get(0);
        assertThat(cause.path("type").asText()).isEqualTo("ImageChange");
        assertThat(cause.path("details").path("oldImageId").asText()).isEqualTo(digestA);
        assertThat(cause.path("details").path("newImageId").asText()).isEqualTo(digestB);
        assertThat(ended.path("inputs").path("builderImage").asText()).endsWith("@" + digestB);
      }
      Thread.sleep(5_000); // two more checks: nothing rebuilds again
      assertThat(api("/api/v1/buildconfigs/alpha/builds")).hasSize(4);
      assertThat(api("/api/v1/buildconfigs/beta/builds")).hasSize(2);
      assertThat(cli("builds", "beta").stdout()).containsPattern("(?m)^beta-2 .*Complete.*ImageChange");

      // no secret in answers (api() checks each), build logs or the server's log
      api("/api/v1/buildconfigs/alpha");
      api("/api/v1/builds/alpha-2");
      assertThat(cli("logs", "alpha-2").stdout()).doesNotContain(GITHUB_SECRET);
      assertThat(cli("logs", "alpha-3").stdout()).doesNotContain(GENERIC_SECRET);
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(serverLog);
      assertThat(log).contains("webhook").doesNotContain(GITHUB_SECRET).doesNotContain(GENERIC_SECRET);
    }
  }
}
