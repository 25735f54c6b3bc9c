package io.s2i.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.service.model.ServiceJson;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the console adds to the server, over HTTP on the embedded database with the stand-in
 * executor: paged build lists, the overview, webhook URLs and their secrets on request, re-runs,
 * the detection preview by the library, and the pages and assets themselves.
 */
class ConsoleApiTest {
  @TempDir Path tmp;
  BuildServer server;
  Api api;
  final HttpClient http = HttpClient.newHttpClient();

  static final String CONFIG = """
      {"name": "app", "source": {"git": {"uri": "https://example.invalid/app.git", "ref": "main"}},
       "strategy": {"builderImage": "localhost/s2i-test/builder:latest", "env": [{"name": "LINES", "value": "2"}]},
       "output": {"image": "localhost/s2i-it/app:latest"}, "runPolicy": "Parallel",
       "successfulBuildsHistoryLimit": 100, "failedBuildsHistoryLimit": 100,
       "triggers": [{"type": "GitHub", "secret": "gh-secret-1"}, {"type": "Generic", "secret": "gen/secret 2"},
                    {"type": "ImageChange"}]}
      """;

  @BeforeEach
  void start() throws Exception {
    ServerSettings d = ServerSettings.defaults(tmp.resolve("data"));
    server = BuildServer.start(new ServerSettings("127.0.0.1", 0, false, d.dataDir(), Optional.empty(), 4,
        Optional.empty(), d.lease(), false, 1024 * 1024, Optional.empty()), new FakeExecutor());
    api = new Api(server.url(), server.token());
    assertThat(api.post("/api/v1/buildconfigs", CONFIG).status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static JsonNode json(String body) throws Exception {
    return ServiceJson.json().readTree(body);
  }

  void waitEnded(String build) throws Exception {
    for (int i = 0; i < 500; i++) {
      String phase = json(api.get("/api/v1/builds/" + build).body()).path("phase").asText();
      if (!List.of("New", "Pending", "Running").contains(phase)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(build + " did not end");
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = api.req(path).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void buildListsPageWithACursorAndCountWhatMatches() throws Exception {
    for (int i = 1; i <= 25; i++) {
      String env = i % 5 == 0 ? "[{\"name\": \"FAIL\", \"value\": \"1\"}]" : "[]";
      assertThat(api.post("/api/v1/buildconfigs/app/instantiate", "{\"env\": " + env + "}").status()).isEqualTo(201);
    }
    for (int i = 1; i <= 25; i++) {
      waitEnded("app-" + i);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    List<Integer> sizes = new ArrayList<>();
    do {
      HttpResponse<String> r = get("/api/v1/builds?limit=10" + (cursor == null ? "" : "&continue=" + cursor));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Total-Count")).contains("25");
      JsonNode page = json(r.body());
      sizes.add(page.size());
      page.forEach(b -> seen.add(b.path("name").asText()));
      cursor = r.headers().firstValue("X-Continue").orElse(null);
      if (cursor != null) {
        assertThat(r.headers().firstValue("Link").orElseThrow()).isEqualTo("</api/v1/builds?limit=10&continue=" + cursor + ">; rel=\"next\"");
      }
    } while (cursor != null);
    assertThat(sizes).containsExactly(10, 10, 5);
    assertThat(seen).hasSize(25).doesNotHaveDuplicates().startsWith("app-25", "app-24").endsWith("app-1");

    HttpResponse<String> failed = get("/api/v1/buildconfigs/app/builds?phase=Failed&limit=2");
    assertThat(failed.headers().firstValue("X-Total-Count")).contains("5");
    List<String> names = new ArrayList<>();
    json(failed.body()).forEach(b -> names.add(b.path("name").asText()));
    assertThat(names).containsExactly("app-25", "app-20");
    assertThat(failed.headers().firstValue("Link").orElseThrow()).contains("phase=Failed");

    Api.Answer bad = api.get("/api/v1/builds?continue=nonsense");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("is not a cursor this server gave");
    assertThat(api.get("/api/v1/builds?phase=Sleeping").body()).contains("phase=Sleeping is not one of New, Pending");
    assertThat(api.get("/api/v1/builds?limit=1001").status()).isEqualTo(400);
    // the body is still the array the CLI reads
    assertThat(json(api.get("/api/v1/builds").body()).isArray()).isTrue();

    JsonNode overview = json(api.get("/api/v1/overview").body());
    assertThat(overview.at("/configs/0/config/name").asText()).isEqualTo("app");
    assertThat(overview.at("/configs/0/lastBuild/name").asText()).isEqualTo("app-25");
    assertThat(overview.at("/phases/Complete").asInt()).isEqualTo(20);
    assertThat(overview.at("/phases/Failed").asInt()).isEqualTo(5);
    assertThat(overview.toString()).doesNotContain("gh-secret-1");
  }

  @Test
  void webhookUrlsShowSecretsOnlyWhenAskedFor() throws Exception {
    Api.Answer urls = api.get("/api/v1/buildconfigs/app/webhooks");
    assertThat(urls.status()).isEqualTo(200);
    assertThat(urls.body()).doesNotContain("gh-secret-1").doesNotContain("gen/secret").doesNotContain("gen%2Fsecret");
    JsonNode u = json(urls.body());
    assertThat(u).hasSize(2);
    assertThat(u.at("/0/url").asText()).isEqualTo(server.url() + "/api/v1/webhooks/app/github");
    assertThat(u.at("/1/url").asText()).isEqualTo(server.url() + "/api/v1/webhooks/app/generic/<secret>");
    HttpResponse<String> secrets = http.send(api.req("/api/v1/buildconfigs/app/webhooks/secrets")
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(secrets.headers().firstValue("Cache-Control")).contains("no-store");
    JsonNode s = json(secrets.body());
    assertThat(s.at("/0/secret").asText()).isEqualTo("gh-secret-1");
    assertThat(s.at("/1/url").asText()).isEqualTo(server.url() + "/api/v1/webhooks/app/generic/gen%2Fsecret%202");
    assertThat(new Api(server.url(), "wrong").post("/api/v1/buildconfigs/app/webhooks/secrets", "").status()).isEqualTo(401);
    assertThat(api.get("/api/v1/buildconfigs/nope/webhooks").status()).isEqualTo(404);
  }

  @Test
  void reRunKeepsTheOptionsAndRefusesUploads() throws Exception {
    api.post("/api/v1/buildconfigs/app/instantiate", "{\"env\": [{\"name\": \"TOKEN\", \"value\": \"s3cret\", \"secret\": true}]}");
    waitEnded("app-1");
    Api.Answer again = api.post("/api/v1/builds/app-1/clone", "");
    assertThat(again.status()).as(again.body()).isEqualTo(201);
    JsonNode b = json(again.body());
    assertThat(b.path("name").asText()).isEqualTo("app-2");
    assertThat(b.at("/triggeredBy/0/message").asText()).isEqualTo("Manually triggered (re-run of app-1)");
    assertThat(b.at("/options/env/0/value").asText()).isEqualTo("*****");
    waitEnded("app-2");
    assertThat(api.get("/api/v1/builds/app-2/log").body()).contains("env TOKEN=*****");
    assertThat(api.post("/api/v1/builds/app-9/clone", "").status()).isEqualTo(404);

    api.post("/api/v1/buildconfigs", CONFIG.replace("\"app\"", "\"bin\"")
        .replace("{\"git\": {\"uri\": \"https://example.invalid/app.git\", \"ref\": \"main\"}}", "{\"type\": \"Binary\"}")
        .replace("{\"type\": \"GitHub\", \"secret\": \"gh-secret-1\"}, {\"type\": \"Generic\", \"secret\": \"gen/secret 2\"},", ""));
    java.nio.file.Path f = java.nio.file.Files.writeString(tmp.resolve("a.sh"), "echo hi\n");
    assertThat(api.upload("/api/v1/buildconfigs/bin/instantiatebinary?as=file&name=a.sh", f).status()).isEqualTo(201);
    waitEnded("bin-1");
    Api.Answer refused = api.post("/api/v1/builds/bin-1/clone", "");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(json(refused.body()).path("error").asText()).isEqualTo("build bin-1 built an upload, and uploads are not"
        + " kept after their build: start a new build with the input uploaded again");
  }

  @Test
  void detectionPreviewOfADirectoryAnArchiveAndAFile() throws Exception {
    Api.Answer none = api.post("/api/v1/detect", "{\"git\": {}}");
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.body()).contains("git.uri is missing");
    assertThat(api.post("/api/v1/detect", "{\"git\": {\"uri\": \"--upload-pack=x\"}}").status()).isEqualTo(400);
    java.nio.file.Path app = java.nio.file.Files.createDirectories(tmp.resolve("pyapp"));
    java.nio.file.Files.writeString(app.resolve("requirements.txt"), "flask\n");
    java.nio.file.Files.writeString(app.resolve(".python-version"), "3.11\n");
    Api.Answer py = api.post("/api/v1/detect", "{\"git\": {\"uri\": \"" + app + "\"}}");
    assertThat(py.status()).as(py.body()).isEqualTo(200);
    JsonNode d = json(py.body());
    assertThat(d.at("/languages/0/language").asText()).isEqualTo("python");
    assertThat(d.at("/languages/0/marker").asText()).isEqualTo("requirements.txt");
    assertThat(d.at("/languages/0/version").asText()).isEqualTo("3.11");
    assertThat(d.path("strategy").asText()).isEqualTo("SOURCE");
    assertThat(d.has("builder") && d.has("problem")).isTrue();

    java.nio.file.Path zip = tmp.resolve("node.zip");
    try (var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(zip))) {
      out.putNextEntry(new java.util.zip.ZipEntry("package.json"));
      out.write("{\"name\": \"x\", \"engines\": {\"node\": \"20\"}}".getBytes());
      out.closeEntry();
    }
    Api.Answer node = api.upload("/api/v1/detect?as=archive", zip);
    assertThat(node.status()).as(node.body()).isEqualTo(200);
    assertThat(json(node.body()).at("/languages/0/language").asText()).isEqualTo("nodejs");

    java.nio.file.Path f = java.nio.file.Files.writeString(tmp.resolve("app.jar"), "PK");
    assertThat(api.upload("/api/v1/detect?as=file", f).body()).contains("as=file needs name=FILE");
    Api.Answer missing = api.post("/api/v1/detect", "{\"git\": {\"uri\": \"" + tmp.resolve("nothing-here") + "\"}}");
    assertThat(missing.status()).as(missing.body()).isEqualTo(400);
    assertThat(json(missing.body()).path("error").asText()).doesNotContain("\n").contains("nothing-here");
    try (var left = java.nio.file.Files.list(tmp.resolve("data/uploads"))) {
      assertThat(left.toList()).as("uploads left by detection").isEmpty();
    }
    assertThat(new Api(server.url(), null).post("/api/v1/detect", "{}").status()).isEqualTo(401);
  }

  @Test
  void pagesAndAssetsComeFromTheJarWithAPolicyThatAllowsThisServerOnly() throws Exception {
    Set<String> bodies = new HashSet<>();
    for (String page : List.of("/", "/login", "/configs/app", "/configs/app/edit", "/new", "/builds", "/builds/app-3", "/detect")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(java.net.URI.create(server.url() + page)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html;").containsIgnoringCase("charset=utf-8");
      assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("default-src 'none'").contains("script-src 'self'").contains("connect-src 'self'");
      bodies.add(r.body());
    }
    assertThat(bodies).hasSize(1);
    String index = bodies.iterator().next();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<script type=\"module\" src=\"/assets/([0-9a-f]{12})/app.js\">")
        .matcher(index);
    assertThat(m.find()).as(index).isTrue();
    String version = m.group(1);
    assertThat(index).doesNotContain("http://").doesNotContain("https://").doesNotContain("{{");
    HttpResponse<String> js = get("/assets/" + version + "/app.js");
    assertThat(js.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript;");
    assertThat(js.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
    assertThat(get("/assets/0123456789ab/app.js").headers().firstValue("Cache-Control")).contains("no-cache");
    HttpResponse<String> page = get("/builds");
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
    assertThat(get("/builds", "If-None-Match", page.headers().firstValue("ETag").orElseThrow()).statusCode()).isEqualTo(304);
    assertThat(get("/assets/" + version + "/nothing.js").statusCode()).isEqualTo(404);
    assertThat(get("/assets/" + version + "/index.html").statusCode()).isEqualTo(404);
    assertThat(get("/assets/" + version + "/..%2Fconsole%2FConsoleRoutes.class").statusCode()).isEqualTo(404);
    // the directory holds exactly the files the server serves, and none names another host
    java.nio.file.Path dir = java.nio.file.Path.of(getClass().getClassLoader()
        .getResource("io/s2i/service/console/assets/index.html").toURI()).getParent();
    try (var files = java.nio.file.Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList())
          .containsExactlyInAnyOrderElementsOf(io.s2i.service.console.ConsoleRoutesAccess.files());
    }
    for (String asset : io.s2i.service.console.ConsoleRoutesAccess.files()) {
      if (asset.equals("index.html")) {
        continue;
      }
      HttpResponse<String> r = get("/assets/" + version + "/" + asset);
      assertThat(r.statusCode()).as(asset).isEqualTo(200);
      assertThat(r.body()).as(asset).doesNotContainPattern("(?i)(src|href|url|import)[^\\n]*https?://");
    }
  }
}
