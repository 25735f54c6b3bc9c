package io.s2i.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.service.BuildSeeder;
import io.s2i.service.BuildServer;
import io.s2i.service.ServerSettings;
import io.s2i.service.executor.LocalExecutor;
import io.s2i.service.uploads.UploadExtractor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web console in Debian's Chromium against the real server, the real Docker engine and the
 * fixture builder (pull policy Never): sign in, create a configuration from the form and from YAML
 * (with the API's own one-line errors), start a build with an env override and watch its log
 * arrive line by line, search it, download it, see its timeline and image, re-run it, jump to the
 * first error of a failed build, cancel a running one, upload a file and a directory and see the
 * builds succeed, page through 1,000 seeded builds and filter them, and the detection preview of a
 * local directory handed to the new-configuration form.
 * Every page is screenshotted under target/console-screenshots; any console error nobody expected
 * and any request to another host fail the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
  static final Path SHOTS = Path.of("target", "console-screenshots");
  final EngineFixture engine = new EngineFixture();
  final List<String> images = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();
  Path tmp;
  BuildServer server;
  Browser browser;

  @BeforeAll
  void start() throws Exception {
    tmp = Files.createTempDirectory("s2i-console-it");
    engine.recordBefore();
    server = server(tmp.resolve("data"));
    browser = new Browser(tmp, SHOTS);
  }

  BuildServer server(Path data) throws Exception {
    LocalExecutor executor = new LocalExecutor(EngineFixture.open(), new UploadExtractor(1 << 30, 100_000), b -> List.of());
    return BuildServer.start(new ServerSettings("127.0.0.1", 0, false, data, Optional.empty(), 2,
        Optional.empty(), Duration.ofSeconds(30), false, 100L << 20, Optional.empty()), executor);
  }

  @AfterEach
  void clean() {
    browser.assertCleanAgainst(server.url());
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
    for (String image : images) {
      EngineFixture.docker("rmi", "-f", image);
    }
    engine.checkNothingLeft(tmp);
    try (var walk = Files.walk(tmp)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  String image(String name) {
    String ref = "localhost/s2i-it/console-" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ":latest";
    images.add(ref);
    return ref;
  }

  String page(String path) {
    browser.open(server.url() + path);
    browser.waitReady(path);
    return path;
  }

  Path repo(String name, String... files) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (int i = 0; i < files.length; i += 2) {
      Path f = dir.resolve(files[i]);
      Files.createDirectories(f.getParent());
      Files.writeString(f, files[i + 1]);
      if (files[i].contains("/bin/") || files[i].endsWith(".sh")) {
        f.toFile().setExecutable(true, false);
      }
    }
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("first commit").setAuthor("Tester", "tester@example.com")
          .setCommitter("Tester", "tester@example.com").setSign(false).call();
    }
    return dir;
  }

  HttpResponse<String> api(String method, String path, String contentType, String body) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Authorization", "Bearer " + server.token()).timeout(Duration.ofSeconds(30));
    r = body == null ? r.method(method, HttpRequest.BodyPublishers.noBody())
        : r.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  String phase() {
    return String.valueOf(browser.js("const p = document.querySelector('.page'); return p ? (p.dataset.phase || '') : ''"));
  }

  void waitPhase(String phase) {
    browser.waitFor("phase " + phase, Duration.ofMinutes(2), () -> phase.equals(phase()));
  }

  void waitForBuildPage(String build) {
    browser.waitFor("build page " + build, () -> browser.driver.getCurrentUrl().endsWith("/builds/" + build));
    browser.waitReady("/builds/" + build);
  }

  // ------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void signInWithTheApiToken() throws Exception {
    browser.open(server.url() + "/");
    browser.waitReady("/login");
    assertThat(browser.driver.getCurrentUrl()).contains("/login?next=");
    browser.screenshot("01-login");
    browser.expectFailedRequest("/api/v1/overview", 401);
    browser.type("#token", "not-the-token");
    browser.click("#login-form button[type=submit]");
    browser.waitFor("refusal", () -> browser.all(".error-line").size() == 1);
    assertThat(browser.text(".error-line")).isEqualTo("The server did not accept this token.");
    browser.type("#token", server.token());
    browser.click("#login-form button[type=submit]");
    browser.waitReady("/");
    assertThat(browser.text("#configs")).contains("No build configurations yet.");
    assertThat(browser.js("return Object.keys(localStorage).length")).isEqualTo(0L);
    assertThat(browser.driver.getCurrentUrl()).doesNotContain(server.token());
    browser.screenshot("02-configurations-empty");
  }

  @Test
  @Order(2)
  void createFromTheFormStartWithEnvAndWatchTheLogLineByLine() throws Exception {
    Path app = repo("web", "hello.txt", "hello\n", ".s2i/bin/assemble",
        "#!/bin/sh\nset -e\necho \"greeting is $GREETING\"\nfor i in $(seq 1 12); do echo \"step $i\"; sleep 0.25; done\n"
            + "cp -Rf /tmp/src/. ./\n");
    String out = image("web");
    page("/new");
    browser.type("#f-name", "web");
    browser.type("#f-git-uri", app.toString());
    browser.type("#f-git-ref", "main");
    browser.type("#f-builder", EngineFixture.BUILDER);
    browser.select("#f-pull", "Never");
    browser.type("#f-output", out);
    browser.find("[data-trigger=Generic] button").click();
    browser.find("[data-trigger=GitHub] input.trigger-on").click();
    browser.type("[data-trigger=GitHub] input.trigger-secret", "github-secret-value");
    browser.screenshot("03-new-configuration-form");
    browser.click("#form-save");
    browser.waitReady("/configs/web");
    browser.screenshot("04-configuration");

    // webhooks: URLs with copy buttons, secrets only on request
    assertThat(browser.text("#webhooks [data-trigger=GitHub] [data-role=url]")).isEqualTo(server.url() + "/api/v1/webhooks/web/github");
    assertThat(browser.text("#webhooks [data-trigger=Generic] [data-role=url]")).endsWith("/api/v1/webhooks/web/generic/<secret>");
    assertThat(browser.driver.getPageSource()).doesNotContain("github-secret-value");
    browser.find("#webhooks [data-trigger=GitHub] [data-role=show-secret]").click();
    browser.waitFor("secret shown", () -> browser.text("#webhooks [data-trigger=GitHub] [data-role=secret]").equals("github-secret-value"));
    browser.find("#webhooks [data-trigger=Generic] [data-role=show-secret]").click();
    browser.waitFor("generic URL", () -> !browser.text("#webhooks [data-trigger=Generic] [data-role=url]").endsWith("<secret>"));
    assertThat(browser.text("#webhooks [data-trigger=Generic] [data-role=url]"))
        .matches(".*/api/v1/webhooks/web/generic/[0-9a-f]{36}");

    // start with an env override, then watch the log grow while the build runs
    browser.click("[data-role=add-env]");
    browser.type("#start-form .env-name", "GREETING");
    browser.type("#start-form .env-value", "hello-from-the-console");
    browser.click("#start-build");
    waitForBuildPage("web-1");
    TreeSet<Long> countsWhileRunning = new TreeSet<>();
    browser.waitFor("the log's end", Duration.ofMinutes(2), () -> {
      long lines = (Long) browser.js("return document.querySelectorAll('#log .line').length");
      if (phase().equals("Running") && lines > 0) {
        countsWhileRunning.add(lines);
      }
      return "true".equals(browser.js("return document.getElementById('log').dataset.ended || ''"));
    });
    assertThat(countsWhileRunning).as("line counts seen while Running").hasSizeGreaterThanOrEqualTo(5);
    waitPhase("Complete");
    String log = browser.text("#log");
    assertThat(log).contains("greeting is hello-from-the-console").contains("step 1").contains("step 12");
    assertThat(browser.all("#timeline g.stage").stream().map(g -> g.getAttribute("data-name")).toList())
        .contains("FetchInputs", "Build");
    assertThat(browser.text("#output-image")).isEqualTo(out);
    assertThat(browser.text("#build-facts")).contains("GREETING=hello-from-the-console").contains("first commit");

    // search, download
    browser.type("#log-search", "step 7");
    browser.waitFor("search hits", () -> browser.text("#log-hits").equals("1 / 1"));
    assertThat(browser.text("#log .line.current")).endsWith("step 7");
    assertThat(browser.find("#log-first-error").isEnabled()).isFalse();
    browser.screenshot("05-build-complete");
    browser.click("#log-download");
    Path file = browser.downloads.resolve("web-1.log");
    browser.waitFor("download", () -> Files.exists(file) && !Files.exists(browser.downloads.resolve("web-1.log.crdownload")));
    assertThat(Files.readString(file)).contains("step 12").containsPattern("\\d{4}-\\d\\d-\\d\\dT[^ ]+ step 1\n");

    // re-run the finished build
    browser.click("#rerun-build");
    waitForBuildPage("web-2");
    waitPhase("Complete");
    assertThat(browser.text("#build-facts")).contains("Re-run of web-1").contains("GREETING=hello-from-the-console");
  }

  @Test
  @Order(3)
  void yamlWithTheApisErrorsThenAFailedBuildAndTheBuildsTable() throws Exception {
    Path app = repo("broken", "hello.txt", "hi\n", "fail-with", "3\n");
    String noOutput = "name: broken\nsource:\n  git:\n    uri: " + app + "\nstrategy:\n  builderImage: " + EngineFixture.BUILDER + "\n";
    String apiSays = api("POST", "/api/v1/buildconfigs", "application/yaml", noOutput).body();
    assertThat(apiSays).isEqualTo("{\"error\":\"output.image is missing\"}");
    page("/new");
    browser.click("#tab-yaml");
    browser.setValue("#yaml", noOutput);
    browser.expectFailedRequest("/api/v1/buildconfigs", 400);
    browser.click("#yaml-save");
    browser.waitFor("the API's error", () -> browser.all("#edit-status .error-line").size() == 1);
    assertThat(browser.text("#edit-status .error-line")).isEqualTo("output.image is missing");
    browser.screenshot("06-yaml-error");
    browser.setValue("#yaml", noOutput + "  pullPolicy: Never\noutput:\n  image: " + image("broken") + "\n");
    browser.click("#yaml-save");
    browser.waitReady("/configs/broken");
    browser.click("#start-build");
    waitForBuildPage("broken-1");
    waitPhase("Failed");
    browser.waitFor("log end", () -> "true".equals(browser.js("return document.getElementById('log').dataset.ended || ''")));
    browser.click("#log-first-error");
    WebElement jump = browser.waitFind("#log .line.jump");
    assertThat(jump.getText()).contains("Failing on purpose with exit code 3");
    assertThat(browser.text("#build-facts")).contains("AssembleFailed");
    browser.screenshot("07-build-failed");

    page("/builds");
    assertThat(rows("#builds")).contains("broken-1", "web-2", "web-1");
    browser.find("label.chip.phase-failed input").click();
    browser.waitFor("phase filter", () -> rows("#builds").equals(List.of("broken-1")));
    assertThat(browser.driver.getCurrentUrl()).endsWith("/builds?phase=Failed");
    browser.screenshot("08-builds-failed-only");
  }

  List<String> rows(String table) {
    // One read in the page: the table redraws itself every few seconds, so element handles go stale.
    @SuppressWarnings("unchecked")
    List<String> names = (List<String>) browser.js("return [...document.querySelectorAll(arguments[0] + ' tbody tr[data-build]')]"
        + ".map(r => r.dataset.build)", table);
    return names;
  }

  @Test
  @Order(4)
  void cancelARunningBuild() throws Exception {
    Path app = repo("slow", "hello.txt", "hi\n", ".s2i/bin/assemble",
        "#!/bin/sh\nfor i in $(seq 1 200); do echo \"tick $i\"; sleep 0.2; done\n");
    assertThat(api("POST", "/api/v1/buildconfigs", "application/json", """
        {"name": "slow", "source": {"git": {"uri": "%s"}}, "strategy": {"builderImage": "%s", "pullPolicy": "Never"},
         "output": {"image": "%s"}}""".formatted(app, EngineFixture.BUILDER, image("slow"))).statusCode()).isEqualTo(201);
    page("/configs/slow");
    browser.click("#start-build");
    waitForBuildPage("slow-1");
    browser.waitFor("tick 3", Duration.ofMinutes(2), () -> browser.text("#log").contains("tick 3"));
    waitPhase("Running");
    browser.click("#cancel-build");
    waitPhase("Cancelled");
    assertThat(browser.text("#log")).doesNotContain("tick 200");
    browser.screenshot("09-build-cancelled");
    browser.waitFor("the build's container gone", () -> engine.newContainers().isEmpty());
  }

  @Test
  @Order(5)
  void uploadAFileAndADirectoryAndSeeTheBuildsSucceed() throws Exception {
    String fileOut = image("bin");
    String dirOut = image("bindir");
    for (String[] c : new String[][] {{"bin", ", \"binary\": {\"asFile\": \"app.sh\"}", fileOut}, {"bindir", "", dirOut}}) {
      assertThat(api("POST", "/api/v1/buildconfigs", "application/json", """
          {"name": "%s", "source": {"type": "Binary"%s}, "strategy": {"builderImage": "%s", "pullPolicy": "Never"},
           "output": {"image": "%s"}}""".formatted(c[0], c[1], EngineFixture.BUILDER, c[2])).statusCode()).isEqualTo(201);
    }
    Path script = Files.writeString(tmp.resolve("whatever.sh"), "#!/bin/sh\necho from-binary\n" + "#".repeat(200_000) + "\n");
    page("/configs/bin");
    browser.find("#upload-file").sendKeys(script.toString());
    browser.click("#upload-start");
    waitForBuildPage("bin-1");
    waitPhase("Complete");
    assertThat(browser.text("#build-facts")).contains("file whatever.sh");
    assertThat(EngineFixture.docker("run", "--rm", "--network", "none", fileOut)).contains("from-binary");
    browser.screenshot("10-binary-build");

    Path dir = Files.createDirectories(tmp.resolve("upload-dir/app"));
    Files.writeString(dir.resolve("app.sh"), "#!/bin/sh\necho from-directory; cat deep/nested/file.txt\n");
    Files.createDirectories(dir.resolve("deep/nested"));
    Files.writeString(dir.resolve("deep/nested/file.txt"), "nested content\n");
    page("/configs/bindir");
    browser.find("input[name=upload-kind][value=dir]").click();
    browser.waitFind("#upload-dir").sendKeys(dir.toString());
    browser.click("#upload-start");
    waitForBuildPage("bindir-1");
    waitPhase("Complete");
    assertThat(EngineFixture.docker("run", "--rm", "--network", "none", dirOut)).contains("from-directory").contains("nested content");
    assertThat(browser.find("#build-actions").getText()).contains("Upload again");
  }

  @Test
  @Order(6)
  void thousandSeededBuildsPageAndFilterAndTheDetectionPreview() throws Exception {
    // Leave the old server's pages before it goes, so that none of them asks it anything after.
    browser.open("about:blank");
    browser.assertCleanAgainst(server.url());
    server.close();
    Path data = tmp.resolve("seeded");
    BuildSeeder.seed(data, 20, 1000, 20);
    server = server(data);
    browser.open(server.url() + "/login");
    browser.waitReady("/login");
    browser.type("#token", server.token());
    browser.click("#login-form button[type=submit]");
    browser.waitReady("/");
    browser.waitFor("20 configurations", () -> browser.all("#configs tbody tr[data-config]").size() == 20);
    browser.type("#config-filter", "seed-1");
    browser.waitFor("filter", () -> browser.all("#configs tbody tr[data-config]").size() == 11);
    browser.screenshot("11-configurations-seeded");

    page("/builds");
    assertThat(rows("#builds")).hasSize(50);
    assertThat(browser.text(".pager [data-role=count]")).isEqualTo("1–50 of 1000");
    String first = rows("#builds").get(0);
    browser.click(".pager [data-role=older]");
    browser.waitFor("page 2", () -> browser.text(".pager [data-role=count]").equals("51–100 of 1000"));
    assertThat(rows("#builds")).hasSize(50).doesNotContain(first);
    browser.click(".pager [data-role=newer]");
    browser.waitFor("page 1", () -> browser.text(".pager [data-role=count]").equals("1–50 of 1000"));
    assertThat(rows("#builds").get(0)).isEqualTo(first);
    browser.screenshot("12-builds-paged");
    browser.select("#builds-config", "seed-3");
    browser.waitFor("config filter", () -> browser.text(".pager [data-role=count]").equals("1–50 of 50"));
    assertThat(rows("#builds")).allMatch(b -> b.startsWith("seed-3-"));

    page("/builds/seed-3-7");
    assertThat(browser.all("#timeline g.step")).hasSize(4);
    browser.waitFor("seeded log", () -> "true".equals(browser.js("return document.getElementById('log').dataset.ended || ''")));
    assertThat(browser.all("#log .line")).hasSize(20);
    browser.screenshot("13-seeded-build");

    Path py = Files.createDirectories(tmp.resolve("pyapp"));
    Files.writeString(py.resolve("requirements.txt"), "flask\n");
    Files.writeString(py.resolve(".python-version"), "3.11\n");
    page("/detect");
    browser.type("#detect-uri", py.toString());
    browser.find("#detect-uri").sendKeys(Keys.ENTER);
    browser.waitFor("detection answer", () -> browser.all("#detection").size() == 1);
    assertThat(browser.text("#detection")).contains("python").contains("3.11").contains("requirements.txt");
    browser.screenshot("14-detect");
    browser.click("#detect-create");
    browser.waitReady("/new");
    assertThat(browser.find("#f-git-uri").getAttribute("value")).isEqualTo(py.toString());
  }
}
