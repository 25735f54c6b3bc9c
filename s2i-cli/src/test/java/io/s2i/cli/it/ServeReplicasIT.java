package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.testing.db.PostgresCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@code s2i serve} processes on loopback ports sharing one PostgreSQL database, building with
 * the real engine: 20 start-builds sent to either run once each in all (each server's log names
 * the builds it claimed); one server is killed with {@code kill -9} while it runs builds, and the
 * other settles them once their lease ran out and runs them again, while a log of one of them is
 * followed from the survivor from the first line to the end.
 */
class ServeReplicasIT extends EngineTestBase {
  private static final Pattern CLAIM = Pattern.compile("build (app-\\d+) claimed by (replica-[ab]) \\(attempt (\\d+)\\)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Process> servers = new ArrayList<>();
  private final Set<String> containersBefore = new HashSet<>();
  private PostgresCluster pg;

  ServerProcess serve(String name, String jdbc) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("XDG_CONFIG_HOME", tmp.resolve(name + "-config").toString());
    // The dispatcher's claims at INFO, the evidence of where each build ran.
    env.put("S2I_SERVE_JAVA_OPTS", "-Dorg.slf4j.simpleLogger.log.io.s2i.service.queue.BuildDispatcher=info");
    ServerProcess s = ServerProcess.start(tmp, javaTmp, withEngine(env), tmp.resolve(name + ".log"), "--port", "0",
        "--database", jdbc, "--data-dir", tmp.resolve(name).toString(), "--replica-id", name, "--lease-seconds", "3",
        "--on-interrupted", "rerun", "--max-builds", "2");
    servers.add(s.process());
    return s;
  }

  @AfterEach
  void stopAll() throws Exception {
    for (Process p : servers) {
      if (p.isAlive()) {
        p.destroy();
        p.waitFor(60, TimeUnit.SECONDS);
      }
    }
    if (pg != null) {
      pg.close();
    }
    // The killed server's build containers and temp dirs outlive it (until the library labels what
    // a build makes, #14); the test removes them, and the images its builds left untagged.
    Set<String> left = new HashSet<>(Docker.containerIds());
    left.removeAll(containersBefore);
    for (String id : left) {
      Docker.run("rm", "-f", id);
    }
    try (Stream<Path> dirs = Files.list(javaTmp)) {
      for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith("s2i")).toList()) {
        Docker.run("run", "--rm", "--network", "none", "-v", javaTmp + ":/t", FIXTURE + "base:latest", "rm", "-rf",
            "/t/" + d.getFileName());
      }
    }
    for (String id : Docker.danglingImages()) {
      String location = Docker.run("image", "inspect", "-f",
          "{{index .Config.Labels \"io.openshift.s2i.build.source-location\"}}", id).stdout().strip();
      if (location.contains(tmp.toString())) {
        Docker.run("rmi", id);
      }
    }
  }

  JsonNode call(ServerProcess s, String method, String path, String body) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(s.url() + path)).timeout(Duration.ofMinutes(2))
        .header("Authorization", "Bearer " + s.token()).header("Content-Type", "application/json");
    r = body == null ? r.method(method, HttpRequest.BodyPublishers.noBody())
        : r.method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as(method + " " + path + ": " + resp.body()).isLessThan(300);
    return JSON.readTree(resp.body());
  }

  String storedLog(ServerProcess s, String build) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(s.url() + "/api/v1/builds/" + build + "/log"))
        .header("Authorization", "Bearer " + s.token()).build();
    return http.send(r, HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Each server's claims: build name to the attempts it claimed. */
  static Map<String, List<String>> claims(ServerProcess... servers) throws IOException {
    Map<String, List<String>> out = new HashMap<>();
    for (ServerProcess s : servers) {
      Matcher m = CLAIM.matcher(Files.exists(s.log()) ? Files.readString(s.log()) : "");
      while (m.find()) {
        out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2) + "#" + m.group(3));
      }
    }
    return out;
  }

  @Test
  void twoServersShareTheQueueAndTheSurvivorSettlesTheBuildsOfTheOneKilled() throws Exception {
    containersBefore.addAll(Docker.containerIds());
    pg = PostgresCluster.start();
    ServerProcess a = serve("replica-a", pg.jdbcUrl());
    ServerProcess b = serve("replica-b", pg.jdbcUrl());

    Path repo = writeApp("replicated", "hello.txt", "hi\n", ".s2i/bin/assemble",
        "#!/bin/sh\necho \"assemble ran\"\nfor i in 1 2 3 4 5 6; do echo \"step $i\"; sleep 0.5; done\n");
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("app").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
          .setSign(false).call();
    }
    String image = outputImage("replicas");
    call(a, "POST", "/api/v1/buildconfigs", "{\"name\": \"app\", \"runPolicy\": \"Parallel\","
        + " \"source\": {\"git\": {\"uri\": \"" + repo + "\", \"ref\": \"main\"}},"
        + " \"successfulBuildsHistoryLimit\": 50, \"failedBuildsHistoryLimit\": 50,"
        + " \"strategy\": {\"builderImage\": \"" + FIXTURE + "builder:latest\", \"pullPolicy\": \"Never\"},"
        + " \"output\": {\"image\": \"" + image + "\"}}");
    for (int i = 0; i < 20; i++) {
      call(i % 2 == 0 ? a : b, "POST", "/api/v1/buildconfigs/app/instantiate", "{\"noCache\": true}");
    }

    // Kill replica-a while it runs a build that is half-way through assemble.
    String victim = null;
    for (int i = 0; i < 600 && victim == null; i++) {
      for (Map.Entry<String, List<String>> c : claims(a).entrySet()) {
        JsonNode build = call(b, "GET", "/api/v1/builds/" + c.getKey(), null);
        if (build.path("phase").asText().equals("Running") && storedLog(b, c.getKey()).contains("step 2")) {
          victim = c.getKey();
        }
      }
      Thread.sleep(100);
    }
    assertThat(victim).as("a build running on replica-a").isNotNull();
    // Follow its log from replica-b, from the first line to the end of the build.
    HttpRequest follow = HttpRequest.newBuilder(URI.create(b.url() + "/api/v1/builds/" + victim + "/log?follow=true"))
        .header("Authorization", "Bearer " + b.token()).build();
    CompletableFuture<String> followed = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = http.send(follow, HttpResponse.BodyHandlers.ofInputStream()).body()) {
        return new String(in.readAllBytes());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300);
    a.process().destroyForcibly(); // SIGKILL
    assertThat(a.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    List<JsonNode> ended = new ArrayList<>();
    for (int n = 1; n <= 20; n++) {
      JsonNode build = null;
      for (int i = 0; i < 1800; i++) {
        build = call(b, "GET", "/api/v1/builds/app-" + n, null);
        if (!List.of("New", "Pending", "Running").contains(build.path("phase").asText())) {
          break;
        }
        Thread.sleep(100);
      }
      ended.add(build);
    }
    assertThat(ended).allSatisfy(build -> assertThat(build.path("phase").asText())
        .as(build.path("name").asText() + ": " + build.path("message").asText()).isEqualTo("Complete"));

    Map<String, List<String>> claims = claims(a, b);
    assertThat(claims).hasSize(20);
    Set<String> rerun = new HashSet<>();
    for (Map.Entry<String, List<String>> c : claims.entrySet()) {
      String log = storedLog(b, c.getKey());
      if (c.getValue().size() == 1) {
        // ran once, where it was claimed, to the end
        assertThat(c.getValue().get(0)).endsWith("#1");
        assertThat(log.split("assemble ran", -1)).as(c.getKey() + " ran once: " + log).hasSize(2);
      } else {
        // claimed by replica-a, which was killed, then settled and run again by replica-b
        assertThat(c.getValue()).as(c.getKey()).containsExactly("replica-a#1", "replica-b#2");
        assertThat(log).contains("the server running this build (replica-a) stopped before it ended; queued to run again")
            .contains("--- run again (attempt 2)");
        rerun.add(c.getKey());
      }
    }
    assertThat(rerun).contains(victim);
    assertThat(claims.values().stream().filter(v -> v.get(0).startsWith("replica-b")).count())
        .as("replica-b claimed builds before the kill too").isPositive();
    String followedLog = followed.get(3, TimeUnit.MINUTES);
    assertThat(followedLog).startsWith("Building " + victim).contains("step 2")
        .contains("queued to run again").endsWith("Successfully built " + image + "\n");
    assertThat(followedLog).isEqualTo(storedLog(b, victim));
  }
}
