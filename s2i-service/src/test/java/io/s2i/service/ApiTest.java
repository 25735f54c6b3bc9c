package io.s2i.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.service.model.ServiceJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over HTTP on the embedded database, with a stand-in executor (no engine). */
class ApiTest {
  @TempDir Path tmp;
  BuildServer server;
  Api api;

  static final String CONFIG = """
      {"name": "app", "source": {"git": {"uri": "https://example.invalid/app.git", "ref": "main"}},
       "strategy": {"builderImage": "localhost/s2i-test/builder:latest", "pullPolicy": "Never",
                    "env": [{"name": "A", "value": "1"}, {"name": "PASSWORD", "value": "hunter2-secret", "secret": true}]},
       "output": {"image": "localhost/s2i-it/app:latest"}}
      """;

  @BeforeEach
  void start() throws Exception {
    ServerSettings d = ServerSettings.defaults(tmp.resolve("data"));
    server = BuildServer.start(new ServerSettings("127.0.0.1", 0, false, d.dataDir(), Optional.empty(), 2,
        Optional.empty(), d.lease(), false, 1024 * 1024, Optional.of(tmp.resolve("client.yaml"))), new FakeExecutor());
    api = new Api(server.url(), server.token());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static JsonNode json(Api.Answer a) throws Exception {
    return ServiceJson.json().readTree(a.body());
  }

  @Test
  void crudOfConfigurations() throws Exception {
    Api.Answer created = api.post("/api/v1/buildconfigs", CONFIG);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode c = json(created);
    assertThat(c.at("/runPolicy").asText()).isEqualTo("Serial");
    assertThat(c.at("/successfulBuildsHistoryLimit").asInt()).isEqualTo(5);
    assertThat(c.at("/strategy/env/1/value").asText()).isEqualTo("*****");
    assertThat(created.body()).doesNotContain("hunter2");

    assertThat(api.post("/api/v1/buildconfigs", CONFIG).status()).isEqualTo(409);
    assertThat(json(api.get("/api/v1/buildconfigs")).size()).isEqualTo(1);

    // What GET answers, sent back with a change, keeps the masked secret.
    String changed = api.get("/api/v1/buildconfigs/app").body().replace("\"Serial\"", "\"Parallel\"");
    Api.Answer put = api.put("/api/v1/buildconfigs/app", changed);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(json(put).at("/runPolicy").asText()).isEqualTo("Parallel");
    Api.Answer started = api.post("/api/v1/buildconfigs/app/instantiate", "{}");
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String log = waitLog("app-1");
    assertThat(log).contains("env A=1").contains("env PASSWORD=*****").doesNotContain("hunter2");

    assertThat(api.delete("/api/v1/buildconfigs/app").status()).isEqualTo(204);
    assertThat(api.get("/api/v1/buildconfigs/app").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/builds/app-1").status()).isEqualTo(404);
  }

  String waitLog(String build) throws Exception {
    try (var in = api.stream("/api/v1/builds/" + build + "/log?follow=true", null)) {
      return new String(in.readAllBytes());
    }
  }

  @Test
  void tokenIsRequiredPrivateAndRotatable() throws Exception {
    assertThat(new Api(server.url(), null).get("/api/v1/buildconfigs").status()).isEqualTo(401);
    assertThat(new Api(server.url(), "wrong").get("/api/v1/buildconfigs").status()).isEqualTo(401);
    Path tokenFile = tmp.resolve("data/token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("client.yaml")))).isEqualTo("rw-------");
    assertThat(Files.readString(tmp.resolve("client.yaml"))).contains(server.token()).contains(server.url());
    String newToken = json(api.post("/api/v1/token/rotate", "")).get("token").asText();
    assertThat(api.get("/api/v1/buildconfigs").status()).isEqualTo(401);
    assertThat(new Api(server.url(), newToken).get("/api/v1/buildconfigs").status()).isEqualTo(200);
    assertThat(Files.readString(tokenFile).strip()).isEqualTo(newToken);
    // webhooks are the one exception (they check their own secrets)
    assertThat(new Api(server.url(), null).post("/api/v1/webhooks/x/github", "{}").status()).isEqualTo(404);
  }

  @Test
  void badInputGetsA4xxWithOneLine() throws Exception {
    assertBad(api.post("/api/v1/buildconfigs", CONFIG.replace("\"ref\"", "\"reff\"")), 400, "unknown field \"reff\"");
    assertBad(api.post("/api/v1/buildconfigs", CONFIG.replace("\"app\"", "\"App_1\"")), 400, "invalid name");
    assertBad(api.post("/api/v1/buildconfigs", CONFIG.replace("\"Never\"", "\"Sometimes\"")), 400, "use one of Always, IfNotPresent, Never");
    assertBad(api.post("/api/v1/buildconfigs", "{\"name\": \"a\", "), 400, "malformed");
    assertBad(api.postYaml("/api/v1/buildconfigs", "name: a\n  source: [\n"), 400, "malformed YAML");
    assertBad(api.post("/api/v1/buildconfigs", "{\"name\":\"x\"," + "\"pad\":\"" + "x".repeat(1_100_000) + "\"}"), 413, "larger than");
    assertBad(api.post("/api/v1/buildconfigs", CONFIG.replace("localhost/s2i-test/builder:latest", "UPPER CASE")), 400, "strategy.builderImage is not an image name");
    assertBad(api.post("/api/v1/buildconfigs", "{\"name\": \"x\"}"), 400, "source is missing");
    assertBad(api.get("/api/v1/builds/NOPE"), 400, "invalid build name");
    assertBad(api.get("/api/v1/builds/app-9"), 404, "not found");
    assertBad(api.get("/api/v1/nothing"), 404, "not found");
    assertBad(api.post("/api/v1/buildconfigs/missing/instantiate", "{}"), 404, "not found");
    assertThat(api.post("/api/v1/buildconfigs", CONFIG).status()).isEqualTo(201);
    assertBad(api.post("/api/v1/buildconfigs/app/instantiate", "{\"env\": [{\"name\": \"1x\", \"value\": \"v\"}]}"), 400, "not a variable name");
    assertBad(api.post("/api/v1/buildconfigs/app/instantiate", "{\"commit\": \"--upload-pack=evil\"}"), 400, "is not a commit");
    assertBad(api.post("/api/v1/buildconfigs/app/instantiate", "{\"bogus\": 1}"), 400, "unknown field \"bogus\"");
    assertBad(api.get("/api/v1/builds?limit=abc"), 400, "limit=abc");
    // binary input: the limit (1 MiB here) is enforced while streaming, and nothing is kept
    api.post("/api/v1/buildconfigs", CONFIG.replace("\"app\"", "\"bin\"")
        .replace("{\"git\": {\"uri\": \"https://example.invalid/app.git\", \"ref\": \"main\"}}", "{\"type\": \"Binary\"}"));
    Path big = Files.write(tmp.resolve("big.tar"), new byte[1024 * 1024 + 1]);
    assertBad(api.upload("/api/v1/buildconfigs/bin/instantiatebinary?as=archive", big), 413, "larger than the limit");
    assertBad(api.upload("/api/v1/buildconfigs/bin/instantiatebinary?as=file&name=../x", big), 400, "plain file name");
    assertBad(api.upload("/api/v1/buildconfigs/bin/instantiatebinary?as=tarball", big), 400, "as=tarball");
    assertBad(api.post("/api/v1/buildconfigs/bin/instantiate", "{}"), 400, "builds from binary input");
    assertBad(api.upload("/api/v1/buildconfigs/app/instantiatebinary?as=archive", tmp.resolve("client.yaml")), 400,
        "builds from git");
    try (var left = Files.list(tmp.resolve("data/uploads"))) {
      assertThat(left.toList()).isEmpty();
    }
  }

  static void assertBad(Api.Answer a, int status, String reason) throws Exception {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    String error = json(a).get("error").asText();
    assertThat(error).contains(reason).doesNotContain("\n");
  }
}
